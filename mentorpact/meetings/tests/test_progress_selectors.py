"""The selectors the partnership page, the timeline and the progress work read."""

from datetime import timedelta

from mentorpact.meetings import services
from mentorpact.meetings.selectors import (
    held_meeting_count,
    last_contact_at,
    meeting_summary,
    timeline_entries,
)
from mentorpact.meetings.tests.base import NOW, TOMORROW, YESTERDAY, MeetingsTestCase


class HeldMeetingCountTest(MeetingsTestCase):
    def test_it_counts_held_meetings_only(self):
        self.assertEqual(held_meeting_count(self.partnership), 0)
        self.held()
        self.schedule()
        cancelled = self.schedule(starts_at=TOMORROW + timedelta(days=1))
        services.cancel_meeting(meeting=cancelled, user=self.mia, based_on_version=1, reason="x")

        self.assertEqual(held_meeting_count(self.partnership), 1)

    def test_another_partnerships_meetings_do_not_count(self):
        other = self.add_mentees(1)[0]
        services.record_past_meeting(
            partnership=other,
            user=self.mia,
            starts_at=YESTERDAY,
            time_zone="UTC",
            held_minutes=30,
            mode="online",
        )

        self.assertEqual(held_meeting_count(self.partnership), 0)


class LastContactAtTest(MeetingsTestCase):
    def test_it_is_none_before_any_meeting_is_held(self):
        self.schedule()

        self.assertIsNone(last_contact_at(self.partnership))

    def test_it_is_the_latest_held_meeting_however_it_was_recorded(self):
        self.held(starts_at=NOW - timedelta(days=10))
        services.record_past_meeting(
            partnership=self.partnership,
            user=self.mia,
            starts_at=NOW - timedelta(hours=3),
            time_zone="UTC",
            held_minutes=10,
            mode="telephone",
        )

        self.assertEqual(last_contact_at(self.partnership), NOW - timedelta(hours=3))


class MeetingSummaryTest(MeetingsTestCase):
    def test_it_counts_by_status_with_the_last_and_next_dates(self):
        self.held()
        self.schedule(starts_at=TOMORROW + timedelta(days=7))
        self.schedule()

        summary = meeting_summary(self.partnership)

        self.assertEqual((summary.held, summary.scheduled, summary.cancelled), (1, 2, 0))
        self.assertEqual(summary.last_contact_at, YESTERDAY)
        self.assertEqual(summary.next_meeting_at, TOMORROW)


class TimelineEntriesTest(MeetingsTestCase):
    def test_a_partner_sees_each_meeting_with_what_is_due(self):
        self.held()
        self.schedule()

        entries = timeline_entries(self.partnership, self.theo)

        self.assertEqual(
            [(e.kind, e.at, e.is_due) for e in entries],
            [
                ("meeting_held", YESTERDAY, False),
                ("feedback_due", YESTERDAY, True),
                ("meeting_scheduled", TOMORROW, True),
            ],
        )
        self.assertEqual(entries[0].detail, "50 minutes, online")
        self.assertIn("/feedback/", entries[1].url)
        self.assertTrue(entries[2].url.endswith("/"))

    def test_feedback_is_not_due_once_given_nor_from_the_partner_not_asked(self):
        meeting = self.held()
        services.submit_feedback(
            meeting=meeting, user=self.theo, answers=["Very", "", "", ""], shared_with_partner=False
        )

        self.assertNotIn(
            "feedback_due", [e.kind for e in timeline_entries(self.partnership, self.theo)]
        )
        self.assertNotIn(
            "feedback_due", [e.kind for e in timeline_entries(self.partnership, self.mia)]
        )

    def test_a_past_meeting_never_recorded_is_due_to_be_recorded(self):
        meeting = self.schedule(starts_at=NOW + timedelta(minutes=30))

        with self.clock_at(NOW + timedelta(days=2)):
            entries = timeline_entries(self.partnership, self.mia)

        self.assertEqual([(e.kind, e.is_due) for e in entries], [("meeting_to_record", True)])
        self.assertIn(str(meeting.public_id), entries[0].url)

    def test_a_coordinator_gets_dates_and_statuses_without_links_or_modes(self):
        self.held()
        cancelled = self.schedule()
        services.cancel_meeting(meeting=cancelled, user=self.mia, based_on_version=1, reason="x")

        entries = timeline_entries(self.partnership, self.cora)

        self.assertEqual(
            [(e.kind, e.title, e.detail, e.url) for e in entries],
            [
                ("meeting_held", "Meeting held", "50 minutes", ""),
                ("meeting_cancelled", "Meeting cancelled", "", ""),
            ],
        )
