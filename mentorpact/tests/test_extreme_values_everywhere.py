"""Extreme values thrown at the forms and the exports (Hypothesis, a few examples each so it
stays fast): a typed date anywhere from year 1 to 9999, or text that is no date at all, gets a
page that says what is wrong, never a 500; and dates already stored at the edges of what a
database holds (before the bounds existed, or by a script) leave every export readable: the
record ZIP, the meeting's .ics, the calendar feed, the signed PDF, the timeline and overview,
the person's own data export.
(meetings/tests/test_extreme_values.py does the same for meeting moments.)"""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mentorpact.agreement_templates.schema import load_template
from mentorpact.agreement_templates.values import validate_values
from mentorpact.agreements.models import Agreement
from mentorpact.agreements.tests.base import pact_yaml
from mentorpact.meetings import services as meeting_services
from mentorpact.office.tests.test_program_settings import FORM as SETTINGS_FORM
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Program
from mentorpact.progress.models import PlanItem
from mentorpact.progress.tests.base import ProgressTestCase, schedule_meeting

FEW = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))

# What a browser (or anyone with curl) can send for a date.
TYPED_DATES = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.sampled_from(
        ["0000-00-00", "99999-12-31", "2027-02-30", "-0001-01-01", "1e308", "9" * 500, " "]
    ),
    st.text(max_size=20),
)
STORED_DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


def in_bounds(text: str) -> bool:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return False
    return date(1970, 1, 1) <= day <= date(timezone.localdate().year + 100, 12, 31)


class TypedExtremesTest(ProgressTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sign()
        self.item = self.start_plan().items.get(position=1)

    def test_the_plan_items_due_date(self):
        url = reverse("progress:plan_item", args=[self.partnership.public_id, self.item.public_id])
        prefix = f"item-{self.item.public_id}-"
        self.sign_in(self.theo)

        @FEW
        @example("9999-12-31")
        @example("1800-01-01")
        @given(typed=TYPED_DATES)
        def post(typed):
            item = PlanItem.objects.get(pk=self.item.pk)
            fields = {"status": "in_progress", "action_steps": "", "measure": "", "owner": "mentee"}
            data = {**fields, "owner_name": "", "progress_note": "", "due_on": typed}
            data["version"] = str(item.version)
            response = self.client.post(url, {prefix + k: v for k, v in data.items()})
            self.assertIn(response.status_code, (200, 302, 400))
            item.refresh_from_db()
            if item.due_on is not None and item.due_on.isoformat() == typed.strip():
                self.assertTrue(in_bounds(typed), typed)

        post()

    def test_the_programs_kickoff_and_due_dates(self):
        url = reverse("office:settings", args=[self.program.public_id])
        self.sign_in(self.cora)

        @FEW
        @example("9999-12-31", "0001-01-01")
        @given(kickoff=TYPED_DATES, due=TYPED_DATES)
        def post(kickoff, due):
            data = {**SETTINGS_FORM, "kickoff_date": kickoff, "agreement_due_date": due}
            response = self.client.post(url, data)
            self.assertIn(response.status_code, (200, 302, 400))
            program = Program.objects.get(pk=self.program.pk)
            for stored in (program.kickoff_date, program.agreement_due_date):
                if stored is not None:
                    self.assertTrue(in_bounds(stored.isoformat()), stored)

        post()

    def test_an_agreements_date_answers(self):
        template = load_template(pact_yaml())

        @FEW
        @given(typed=TYPED_DATES)
        def clean(typed):
            cleaned, errors = validate_values(template, {"first_meeting": typed}, party="mentee")
            if "first_meeting" not in errors and cleaned.get("first_meeting"):
                self.assertTrue(in_bounds(cleaned["first_meeting"]), cleaned)

        clean()


class StoredExtremesTest(ProgressTestCase):
    """Dates stored at the edges: every export still answers."""

    def setUp(self) -> None:
        super().setUp()
        self.sign()
        self.plan = self.start_plan()
        self.meeting = schedule_meeting(self.partnership)
        self.feed = reverse(
            "meetings:feed", args=[meeting_services.create_calendar_feed(user=self.theo)]
        )
        code = self.partnership.public_id
        self.partner_urls = [
            reverse("progress:record", args=[code]),
            reverse("partnerships:detail", args=[code]),
            reverse("progress:plan", args=[code]),
            reverse("meetings:ics", args=[code, self.meeting.public_id]),
            reverse("agreements:pdf", args=[code, 1, 1]),
            reverse("agreements:agreement", args=[code]),
            reverse("meetings:log", args=[code]),
            reverse("privacy:download"),  # "Download my data"
            self.feed,
        ]
        self.coordinator_urls = [
            reverse("programs:overview", args=[self.program.public_id]),
            reverse("partnerships:detail", args=[code]),
            reverse("agreements:agreement", args=[code]),
        ]

    def test_every_export_survives_any_stored_date(self):
        @settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
        @example(date(1, 1, 1))
        @example(date(9999, 12, 31))
        @given(day=STORED_DATES)
        def read(day):
            PlanItem.objects.filter(plan=self.plan).update(due_on=day)
            Partnership.objects.filter(pk=self.partnership.pk).update(
                started_on=day, ends_on=day, agreement_due_on=day
            )
            Agreement.objects.filter(partnership=self.partnership).update(due_on=day)
            Program.objects.filter(pk=self.program.pk).update(kickoff_date=day)
            for user, urls in ((self.theo, self.partner_urls), (self.cora, self.coordinator_urls)):
                self.sign_in(user)
                for url in urls:
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200, (day, url))

        read()
