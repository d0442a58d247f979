"""The remote programme's term rule on the agreement page: an end date in the past or too far
ahead is refused beside the field when the draft is saved (the typed date stays), and signing
is refused if the date has passed by the day someone signs."""

from datetime import UTC, datetime

import time_machine

from mentorpact.agreement_templates.models import AgreementTemplate
from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements import services
from mentorpact.agreements.tests.base import AgreementMixin, AgreementViewTestCase

TODAY = datetime(2026, 12, 2, 12, tzinfo=UTC)


def remote_planning() -> AgreementTemplate:
    """The built-in template (the migrations install the five)."""
    return AgreementTemplate.objects.get(slug="remote-planning")


class TermRuleOnThePageTest(AgreementViewTestCase):
    def setUp(self):
        traveller = time_machine.travel(TODAY, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        super(AgreementMixin, self).setUp()  # the personas, without the mixin's test template
        set_template(self.program, remote_planning())
        self.agreement = services.start_agreement(partnership=self.partnership, actor=self.mia)

    def post_end_date(self, end: str):
        self.sign_in(self.theo)
        return self.client.post(
            self.url("agreement"),
            self.form_post(self.draft(), timeframe="Until the review", end_date=end),
        )

    def test_four_years_out_is_refused_beside_the_field_and_the_typed_date_stays(self):
        r = self.post_end_date("2030-12-01")

        self.assertEqual(r.status_code, 200)
        self.assertContains(
            r,
            "The program asks for 6 to 12 months ahead: choose a date between 2 June 2027 "
            "and 2 December 2027.",
        )
        self.assertContains(r, 'value="2030-12-01"')
        self.assertContains(r, 'aria-invalid="true"')
        self.assertNotIn("end_date", self.draft().content)

    def test_a_past_date_is_refused_and_a_date_in_the_term_is_saved(self):
        self.assertContains(
            self.post_end_date("2026-06-01"), "This date has passed: choose a date after today."
        )
        self.post_end_date("2027-09-01")
        self.assertEqual(self.draft().content["end_date"], "2027-09-01")

    def test_signing_after_the_date_passed_is_refused_by_the_field(self):
        self.post_end_date("2027-06-15")
        with time_machine.travel(datetime(2027, 6, 16, 12, tzinfo=UTC), tick=False):
            self.sign_in(self.theo)
            page = self.client.get(self.url("agreement"))
        self.assertContains(page, "This date has passed: choose a date after today.")
