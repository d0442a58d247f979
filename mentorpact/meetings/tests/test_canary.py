"""Coordinators never see what partners write: a canary planted in everything the partners
write about their meetings never appears on any page, fragment, export or email a
coordinator can reach.

Decided here, and kept by this test: meeting agendas, topics and the reasons given for
cancelling or moving a meeting are as confidential as notes and feedback (the seed forms
promise that nothing said between mentor and mentee reaches the program). A coordinator sees
meetings' dates, statuses, lengths and counts only.

The walk: every URL pattern of the project (as the access matrix enumerates them, with the
matrix's own arguments), requested by Cora with GET and with the matrix's POST, plain and as
htmx fragments, plus the program overview's filters and Cora's own calendar feed.
"""

from datetime import timedelta

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mentorpact.agreement_templates.tests import set_template
from mentorpact.meetings import services
from mentorpact.meetings.models import Note
from mentorpact.meetings.tests.base import IMMEDIATE_TASKS, install_builtin
from mentorpact.partnerships.models import Partnership
from mentorpact.test import BaseTestCase
from mentorpact.tests.canary import CanaryWalk

CANARY = "CANARY-d41c7"


@override_settings(TASKS=IMMEDIATE_TASKS)
class CoordinatorNeverSeesWhatPartnersWriteTest(CanaryWalk, BaseTestCase):
    def setUp(self):
        super().setUp()
        # Both partners answer feedback here, so the mentor's answers are planted too.
        set_template(self.program, install_builtin("university-pilot"))
        self.program.rules = {"feedback_from": ["mentee", "mentor"]}
        self.program.save()
        with self.captureOnCommitCallbacks(execute=True):
            self.plant()

    def plant(self):
        now = timezone.now()
        partnership = self.partnership
        upcoming = services.schedule_meeting(
            partnership=partnership,
            user=self.theo,
            starts_at=now + timedelta(days=2),
            time_zone="America/Chicago",
            duration_minutes=60,
            mode="online",
            place="https://meet.example.org/theo",
            agenda=f"Agenda {CANARY}",
        )
        services.reschedule_meeting(
            meeting=upcoming,
            user=self.mia,
            based_on_version=upcoming.version,
            starts_at=now + timedelta(days=3),
            time_zone="America/Chicago",
            duration_minutes=60,
            reason=f"Moved because {CANARY}",
        )
        cancelled = services.schedule_meeting(
            partnership=partnership,
            user=self.mia,
            starts_at=now + timedelta(days=5),
            time_zone="UTC",
            duration_minutes=30,
            mode="telephone",
            agenda=f"Cancelled agenda {CANARY}",
        )
        services.cancel_meeting(
            meeting=cancelled, user=self.mia, based_on_version=1, reason=f"Ill {CANARY}"
        )
        held = services.record_past_meeting(
            partnership=partnership,
            user=self.theo,
            starts_at=now - timedelta(days=1),
            time_zone="Europe/London",
            held_minutes=45,
            mode="online",
            topics=f"Topics {CANARY}",
        )
        for author, visibility in [
            (self.theo, Note.Visibility.PRIVATE),
            (self.theo, Note.Visibility.SHARED),
            (self.mia, Note.Visibility.PRIVATE),
            (self.mia, Note.Visibility.SHARED),
        ]:
            for meeting in (None, held):
                services.add_note(
                    partnership=partnership,
                    user=author,
                    body=f"{visibility} note by {author.full_name} {CANARY}",
                    visibility=visibility,
                    meeting=meeting,
                )
        # The access matrix's arguments for the meetings URLs: the planted objects.
        self.meetings_scheduled, self.meetings_held = upcoming, held
        self.meetings_note = held.notes.filter(author=self.theo, visibility="shared").first()
        for author, shared in [(self.theo, True), (self.mia, False)]:
            services.submit_feedback(
                meeting=held,
                user=author,
                answers=[f"Answer {CANARY}"] * 4,
                shared_with_partner=shared,
            )
        self.cora_feed = services.create_calendar_feed(user=self.cora)

    def extra_requests(self):
        overview = reverse("programs:overview", args=[self.program.public_id])
        for status in Partnership.Status.values:
            yield "programs:overview", "get", f"{overview}?status={status}", {}
        yield "meetings:feed", "get", reverse("meetings:feed", args=[self.cora_feed]), {}

    def test_no_page_fragment_or_export_cora_can_reach_shows_the_canary(self):
        reached, leaks = self.walk(self.cora, (CANARY,))

        self.assertEqual(leaks, [])
        # The walk really reached Cora's pages (so the test can fail).
        for page in ("partnerships:detail", "programs:overview", "meetings:feed"):
            self.assertIn(page, reached)

    def test_the_partners_do_see_it_so_the_canary_is_really_there(self):
        self.client.force_login(self.theo)

        response = self.client.get(reverse("meetings:log", args=[self.partnership.public_id]))

        self.assertContains(response, CANARY)

    def test_no_email_carries_what_the_partners_wrote(self):
        self.assertTrue(mail.outbox)  # change notices and feedback invitations went out
        for message in mail.outbox:
            with self.subTest(to=message.to, subject=message.subject):
                self.assertNotIn(CANARY, message.subject + message.body)
                for content, _mimetype in message.alternatives:
                    self.assertNotIn(CANARY, content)
                for _name, content, _mimetype in message.attachments:
                    self.assertNotIn(CANARY, content)
