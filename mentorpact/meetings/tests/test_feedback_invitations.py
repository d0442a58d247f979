from unittest import mock

from django.core import mail

from mentorpact.meetings import services
from mentorpact.meetings.tests.base import NOW, MeetingsTestCase
from mentorpact.outbox import sender
from mentorpact.outbox.models import Email
from mentorpact.test import events_of


class FeedbackInvitationsTest(MeetingsTestCase):
    def test_the_mentee_is_invited_once(self):
        meeting = self.held()

        self.assertEqual(services.send_feedback_invitations(meeting=meeting), 1)
        self.assertEqual(services.send_feedback_invitations(meeting=meeting), 0)

        self.assertEqual([m.to for m in mail.outbox], [["theo@example.org"]])
        meeting.refresh_from_db()
        self.assertEqual(meeting.feedback_invited_at, NOW)
        event = events_of(meeting).get(action__endswith=".feedback_invited")
        self.assertEqual(event.details, {"invited": 1})

    def test_both_are_invited_where_the_program_asks_the_mentor_too(self):
        self.program.rules = {"feedback_from": ["mentee", "mentor"]}
        self.program.save()

        services.send_feedback_invitations(meeting=self.held())

        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["mia@example.org", "theo@example.org"]
        )

    def test_someone_who_already_answered_is_not_invited(self):
        meeting = self.held()
        services.submit_feedback(
            meeting=meeting, user=self.theo, answers=["Good", "", "", ""], shared_with_partner=False
        )

        self.assertEqual(services.send_feedback_invitations(meeting=meeting), 0)
        self.assertEqual(mail.outbox, [])

    def test_a_failed_send_is_kept_in_the_outbox_and_sent_again(self):
        meeting = self.held()
        backend = "django.core.mail.backends.locmem.EmailBackend.send_messages"
        with mock.patch(backend, side_effect=OSError("SMTP down")):
            self.assertEqual(services.send_feedback_invitations(meeting=meeting), 1)
        self.assertEqual(mail.outbox, [])
        email = Email.objects.get(kind="meeting-feedback")
        self.assertEqual((email.status, email.partnership_id), ("retrying", meeting.partnership_id))

        Email.objects.filter(pk=email.pk).update(due_at=NOW)  # its backoff over
        self.assertEqual(sender.send_due()["sent"], 1)
        self.assertEqual([m.extra_headers["Message-ID"] for m in mail.outbox], [email.message_id])
        # Invited once: a second run of the task finds the meeting claimed.
        self.assertEqual(services.send_feedback_invitations(meeting=meeting), 0)

    def test_the_invitation_names_the_partner_and_links_to_the_questions(self):
        meeting = self.held()

        services.send_feedback_invitations(meeting=meeting)

        message = mail.outbox[0]
        self.assertEqual(message.subject, "How was your meeting with Mia Mentor?")
        self.assertIn(self.url("feedback", meeting), message.body)
        self.assertIn("the program never does", message.body)
        self.assertNotIn("Budget section", message.body)
        self.assertIn(self.url("feedback", meeting), message.alternatives[0][0])
