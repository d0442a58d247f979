"""Objects the access matrix (mentorpact/tests/test_access_matrix.py) probes the agreement URLs
with, made once per test case.

The agreement probes use a partnership of their own (the same people, in a second program
that Cora coordinates, with the stand-in template), so the draft they need never meets the
agreement other apps' probes sign in the persona partnership.
"""

from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements import services, tokens
from mentorpact.agreements.tests.base import GUARDIAN, make_template
from mentorpact.partnerships import services as partnership_services
from mentorpact.programs.models import Enrolment, Program


def _draft_partnership(t):
    if not hasattr(t, "agreements_partnership"):
        program = Program.objects.create(name="Agreement probes")
        set_template(program, make_template(slug="agreement-probes"))
        for user, role in ((t.cora, "coordinator"), (t.mia, "mentor"), (t.theo, "mentee")):
            Enrolment.objects.create(program=program, user=user, role=role)
        partnership = partnership_services.create_partnership(
            program=program, mentor=t.mia, mentee=t.theo, actor=t.cora
        )
        services.start_agreement(partnership=partnership, actor=t.mia)
        t.agreements_partnership = partnership
    return t.agreements_partnership


def agreement_kwargs(t) -> dict:
    return {"code": _draft_partnership(t).public_id}


def version_kwargs(t) -> dict:
    return agreement_kwargs(t) | {"agreement": 1, "number": 1}


def invited_kwargs(t) -> dict:
    """The link of a parent or guardian Theo named, in a program whose form has them sign."""
    if not hasattr(t, "invited_token"):
        program = Program.objects.create(name="Invited signer probes")
        set_template(
            program, make_template(slug="invited-probes", signers=("mentee", "mentor", GUARDIAN))
        )
        for user, role in ((t.cora, "coordinator"), (t.mia, "mentor"), (t.theo, "mentee")):
            Enrolment.objects.create(program=program, user=user, role=role)
        partnership = partnership_services.create_partnership(
            program=program, mentor=t.mia, mentee=t.theo, actor=t.cora
        )
        agreement = services.start_agreement(partnership=partnership, actor=t.mia)
        invited = services.name_invited_signer(
            agreement=agreement,
            user=t.theo,
            role="guardian",
            name="Gwen Guardian",
            email="gwen@example.org",
        )
        t.invited_token = tokens.make(invited)
    return {"token": t.invited_token}
