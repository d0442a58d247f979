"""Cora, Mia and Theo on the university pilot's form, which declares both exceptions to
confidentiality; Cora is the program's safeguarding contact."""

from mentorpact.agreement_templates.tests import set_template
from mentorpact.confidentiality import services
from mentorpact.confidentiality.models import AgreedDisclosure
from mentorpact.meetings.tests.base import install_builtin
from mentorpact.test import BaseTestCase


def on_the_pilot(t, *, contact: bool = True) -> None:
    set_template(t.program, install_builtin("university-pilot"))
    if contact:
        services.set_safeguarding_contact(program=t.program, actor=t.cora, user=t.cora)


def agreed(t, **texts) -> AgreedDisclosure:
    disclosure = services.propose_agreed_disclosure(
        partnership=t.partnership,
        user=t.theo,
        person=texts.get("person", "Dr Rivera, my head of department"),
        boundaries=texts.get("boundaries", "My workload only"),
        issue=texts.get("issue", "Being given too much teaching"),
    )
    return services.agree_disclosure(disclosure=disclosure, user=t.mia)


class PilotTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        on_the_pilot(self)
