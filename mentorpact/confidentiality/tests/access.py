"""Objects the access matrix probes the confidentiality URLs with: the persona program on
the university pilot's form, an agreed disclosure Theo proposed and Mia agreed, and Mia's
serious-danger disclosure (Cora the safeguarding contact). Made once per test case."""

from mentorpact.confidentiality import services
from mentorpact.confidentiality.models import AgreedDisclosure, DangerDisclosure
from mentorpact.confidentiality.tests.base import agreed, on_the_pilot


def pilot(t) -> None:
    if not getattr(t, "confidentiality_pilot", False):
        on_the_pilot(t)
        t.confidentiality_pilot = True


def disclosure(t) -> AgreedDisclosure:
    pilot(t)
    if not hasattr(t, "confidentiality_disclosure"):
        t.confidentiality_disclosure = agreed(t)
    return t.confidentiality_disclosure


def danger(t) -> DangerDisclosure:
    pilot(t)
    if not hasattr(t, "confidentiality_danger"):
        t.confidentiality_danger = services.record_danger_disclosure(
            partnership=t.partnership,
            user=t.mia,
            disclosed_to="The university's safeguarding team",
            reason="A threat of harm",
        )
    return t.confidentiality_danger


def page_kwargs(t) -> dict:
    pilot(t)
    return {"code": t.partnership.public_id}


def disclosure_kwargs(t) -> dict:
    return {"code": t.partnership.public_id, "disclosure_id": disclosure(t).public_id}


def danger_kwargs(t) -> dict:
    return {"record_id": danger(t).public_id}
