"""Five public mentoring agreement forms of other programs (not the seeds), each written as a
template (agreement_templates/tests/outside_forms/, the source named at the top of each file),
and a partnership driven through the rules each form states: what is due, when, and what the
partners are told. The forms' rules are the pair's own where the form leaves a blank (how
often, how long, for how many months) and the program's where the form fixes them.

Cora, Mia and Theo are the personas (mentorpact.test): the pair was matched on 17 August
2026, signs on 1 September 2026, and "today" is 23 November 2026.
"""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import time_machine
from django.test import override_settings
from django.utils import timezone

from mentorpact.agreement_templates.rules import describe_rules
from mentorpact.agreement_templates.tests import set_template
from mentorpact.audit.models import Event
from mentorpact.meetings import services as meeting_services
from mentorpact.meetings.models import MeetingAction
from mentorpact.meetings.services import MeetingError
from mentorpact.meetings.tests.base import IMMEDIATE_TASKS
from mentorpact.outbox.models import Email
from mentorpact.partnerships.models import Partnership
from mentorpact.progress import reminders, selectors, services
from mentorpact.progress.tests.base import (
    TODAY,
    ProgressTestCase,
    hold_meetings,
    install_template,
    schedule_meeting,
    sign_agreement,
)

FORMS = Path(__file__).resolve().parents[2] / "agreement_templates" / "tests" / "outside_forms"
# The last meeting, an hour before "today" (hold_meetings' default).
LAST_MEETING = TODAY - timedelta(hours=1)


def kinds_due(partnership, moment: datetime) -> dict:
    """The reminders due at `moment`, by kind."""
    return {r.kind: r for r in reminders.due_now(partnership, moment)}


class OutsideFormTestCase(ProgressTestCase):
    slug = "aspe-partnership"  # replaced in setUp by the outside form
    form = ""

    def setUp(self) -> None:
        super().setUp()
        source = (FORMS / f"{self.form}.yaml").read_text()
        self.template = install_template(self.form, source)
        set_template(self.program, self.template)
        self.partnership = Partnership.objects.get(pk=self.partnership.pk)

    def sign_with(self, mentee: dict, mentor: dict | None = None) -> None:
        sign_agreement(self.partnership, {"mentee": mentee, "mentor": mentor or {}})

    def due(self, role: str = "mentee") -> dict:
        viewer = self.theo if role == "mentee" else self.mia
        progress = selectors.partnership_progress(self.partnership, role=role, viewer=viewer)
        return {item.kind: item for item in progress.due()}

    def rules_shown(self) -> dict[str, str]:
        version = self.template.latest_version()
        assert version is not None
        return dict(describe_rules(version.as_template().rules))


class JeromeBurkeTest(OutsideFormTestCase):
    """Signed at the first meeting; meet at least as often as chosen; each meeting between
    the minutes written in; the relationship for the months written in."""

    form = "jerome-burke-mentor-agreement"
    AGREED = {
        "confidentiality": {"mentee": True},
        "meet_at_least": "fortnightly",
        "min_minutes": 30,
        "max_minutes": 90,
        "months": 6,
    }

    def test_the_agreement_is_due_at_the_first_meeting(self):
        # The program sets no date of its own (which would replace the form's deadline).
        self.program.agreement_due_date = None
        self.program.save(update_fields=["agreement_due_date"])
        self.partnership = Partnership.objects.get(pk=self.partnership.pk)
        item = self.due()["agreement_due"]
        self.assertIn("Sign it by the end of the first meeting; 0 held.", item.detail)
        self.assertFalse(item.overdue)
        self.assertEqual(self.rules_shown()["Signed agreement due"], "at the first meeting")

        hold_meetings(self.partnership, 1)  # held, and still unsigned

        self.assertTrue(self.due()["agreement_due"].overdue)

    def test_contact_follows_the_chosen_frequency_and_the_term_the_months(self):
        self.sign_with(self.AGREED, {"confidentiality": {"mentor": True}})
        hold_meetings(self.partnership, 1)

        items = self.due()
        self.assertNotIn("agreement_due", items)
        contact = items["contact"]
        self.assertEqual(contact.due_on, date(2026, 12, 7))  # a fortnight after the last
        self.assertIn("Your agreement asks for contact at least once a fortnight.", contact.detail)
        self.assertEqual(items["closing_due"].due_on, date(2027, 3, 1))  # six months
        self.assertEqual(items["closing_due"].detail, "6 months agreed.")
        # The reminder follows what they agreed: due a fortnight after the last meeting.
        self.assertNotIn(
            "contact_overdue", kinds_due(self.partnership, LAST_MEETING + timedelta(days=13))
        )
        reminder = kinds_due(self.partnership, LAST_MEETING + timedelta(days=14))["contact_overdue"]
        self.assertIn("your agreement asks for contact at least once a fortnight", reminder.message)

    def test_a_meeting_outside_the_agreed_minutes_is_kept_only_when_confirmed(self):
        self.sign_with(self.AGREED, {"confidentiality": {"mentor": True}})
        when = timezone.now() + timedelta(days=3)
        arguments = dict(
            partnership=self.partnership,
            user=self.theo,
            starts_at=when,
            time_zone="UTC",
            duration_minutes=120,
            mode="face_to_face",
        )

        with self.assertRaises(MeetingError) as refused:
            meeting_services.schedule_meeting(**arguments)

        self.assertEqual(
            (refused.exception.field, refused.exception.code), ("duration_minutes", "length")
        )
        self.assertIn("at most 90 minutes; this one is 120", refused.exception.message)
        self.assertFalse(self.partnership.meetings.exists())

        meeting = meeting_services.schedule_meeting(**arguments, length_accepted=True)
        event = Event.objects.get(action=MeetingAction.SCHEDULED, object_id=meeting.pk)
        self.assertIs(event.details["length_outside_agreement"], True)
        within = meeting_services.schedule_meeting(**{**arguments, "duration_minutes": 60})
        self.assertEqual(within.duration_minutes, 60)


class RefirementTest(OutsideFormTestCase):
    """Weekly, bi-weekly or monthly sessions; 3, 6 or 12 months from a list; either party
    ends it with 7 days' notice."""

    form = "refirement-mentoring-contract"
    AGREED = {
        "frequency": "monthly",
        "period": "twelve",
        "objectives": ["Price my services", "Find three clients", "Write a business plan"],
        "confidentiality": {"mentee": True},
    }

    def setUp(self) -> None:
        super().setUp()
        self.sign_with(self.AGREED, {"confidentiality": {"mentor": True}})
        hold_meetings(self.partnership, 1)

    def test_the_chosen_period_sets_the_end_and_the_chosen_frequency_the_contact(self):
        items = self.due()
        self.assertEqual(items["closing_due"].due_on, date(2027, 9, 1))  # twelve months
        self.assertEqual(items["contact"].due_on, date(2026, 12, 24))  # 31 days on
        self.assertIn("at least once a month", items["contact"].detail)
        self.assertEqual(self.rules_shown()["Duration"], "3, 6 or 12 months, as the pair chooses")

    @override_settings(TASKS=IMMEDIATE_TASKS)
    def test_ending_takes_effect_after_seven_days_notice_shown_to_both(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.propose_closing(
                partnership=self.partnership,
                actor=self.theo,
                decision="end_early",
                outcomes={},
                learning="We agreed it had run its course.",
            )

        # Mia is told at once, with the day it ends; nothing she could read as content.
        (told,) = Email.objects.filter(kind="progress-notice-given")
        self.assertEqual(told.to, "mia@example.org")
        self.assertIn("Theo", told.subject)
        self.assertIn("it ends on 30 November 2026", " ".join(told.body.split()))
        self.assertNotIn("run its course", told.body + told.html)

        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, Partnership.Status.ACTIVE)
        for role in ("mentee", "mentor"):
            notice = self.due(role)["notice"]
            self.assertEqual(notice.title, "The partnership ends on 30 November 2026")
            self.assertIn("The mentee gave notice to end it on 23 November 2026", notice.detail)
        with self.assertRaises(services.ProgressError):
            services.propose_closing(
                partnership=self.partnership,
                actor=self.mia,
                decision="end_early",
                outcomes={},
                learning="Me too.",
            )

        self.assertEqual(services.end_after_notice(now=TODAY + timedelta(days=6)), 0)
        with time_machine.travel(TODAY + timedelta(days=7), tick=False):
            self.assertEqual(services.end_after_notice(), 1)
            self.assertEqual(services.end_after_notice(), 0)
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, Partnership.Status.ENDED_EARLY)
        self.assertEqual(self.due(), {})


class HhsParticipationTest(OutsideFormTestCase):
    """Until the program's end date, then re-evaluated; once a month; at least an hour."""

    form = "hhs-mentoring-participation-agreement"

    def setUp(self) -> None:
        super().setUp()
        # The form's "until May 2014", as this cohort's program sets it.
        self.program.rules = {"duration": {"end_date": "2027-05-31"}}
        self.program.save(update_fields=["rules"])
        self.sign_with({"confidentiality": {"mentee": True}}, {"confidentiality": {"mentor": True}})

    def test_the_program_s_end_date_closes_it_and_contact_is_monthly(self):
        hold_meetings(self.partnership, 1)
        items = self.due()

        self.assertEqual(items["closing_due"].due_on, date(2027, 5, 31))
        self.assertEqual(items["closing_due"].detail, "The program's end date.")
        self.assertEqual(items["contact"].due_on, date(2026, 12, 24))
        self.assertIn(
            "The program asks for contact at least once a month.", items["contact"].detail
        )
        self.assertEqual(
            self.rules_shown()["Run by the program, outside Mentorpact for now"],
            "periodic evaluations",
        )

    def test_a_meeting_under_an_hour_is_recorded_only_when_confirmed(self):
        arguments = dict(
            partnership=self.partnership,
            user=self.mia,
            starts_at=LAST_MEETING,
            time_zone="UTC",
            held_minutes=45,
            mode="face_to_face",
        )
        with self.assertRaises(MeetingError) as refused:
            meeting_services.record_past_meeting(**arguments)
        self.assertIn("at least 60 minutes; this one is 45", refused.exception.message)
        self.assertFalse(self.partnership.meetings.exists())

        meeting_services.record_past_meeting(**arguments, length_accepted=True)
        self.assertEqual(self.due()["contact"].due_on, date(2026, 12, 24))


class EveryNWeeksTest(OutsideFormTestCase):
    """At least once every N weeks, N written in; minutes between the bounds written in; the
    months written in, with a check halfway."""

    form = "partnership-agreement-form-every-n-weeks"
    AGREED = {
        "months": 4,
        "meet_weeks": 3,
        "min_minutes": 30,
        "max_minutes": 60,
        "issues": ["Moving into management"],
    }

    def test_contact_is_due_every_three_weeks_and_the_term_has_a_midpoint(self):
        self.sign_with(self.AGREED)
        hold_meetings(self.partnership, 1)
        items = self.due()

        self.assertEqual(items["contact"].due_on, date(2026, 12, 14))  # 21 days on
        self.assertIn("at least once every 3 weeks", items["contact"].detail)
        self.assertEqual(items["closing_due"].due_on, date(2027, 1, 1))  # four months
        self.assertEqual(items["midpoint"].due_on, date(2026, 11, 1))
        with time_machine.travel(datetime(2026, 12, 15, 9, 0, tzinfo=UTC), tick=False):
            self.assertTrue(self.due()["contact"].overdue)

    def test_moving_a_meeting_to_a_length_over_the_maximum_asks_first(self):
        self.sign_with(self.AGREED)
        meeting = schedule_meeting(self.partnership)
        arguments = dict(
            meeting=meeting,
            user=self.theo,
            based_on_version=meeting.version,
            starts_at=meeting.starts_at + timedelta(days=1),
            time_zone="UTC",
            duration_minutes=90,
            reason="A longer session to plan the interview.",
        )
        with self.assertRaises(MeetingError) as refused:
            meeting_services.reschedule_meeting(**arguments)
        self.assertIn("at most 60 minutes; this one is 90", refused.exception.message)

        moved = meeting_services.reschedule_meeting(**arguments, length_accepted=True)
        self.assertEqual(moved.duration_minutes, 90)


class NpsTemplateTest(OutsideFormTestCase):
    """Weekly, twice a month or another interval; no set term."""

    form = "nps-mentoring-agreement-template"
    GOALS = {"goals": ["Lead a field crew", "Write a grant", "Present at a conference"]}

    def test_twice_a_month_is_due_within_half_a_month(self):
        self.sign_with({**self.GOALS, "interval": "twice_a_month", "manner": "video"})
        hold_meetings(self.partnership, 1)
        items = self.due()

        self.assertEqual(items["contact"].due_on, date(2026, 12, 8))  # 15.5 days on
        self.assertIn("at least twice a month", items["contact"].detail)
        self.assertNotIn("closing_due", items)  # the form sets no term

    def test_an_interval_of_their_own_sets_no_reminder(self):
        other = {"choice": "other", "other_label": "When the field season allows"}
        self.sign_with({**self.GOALS, "interval": other})
        hold_meetings(self.partnership, 1)

        self.assertNotIn("contact", self.due())
