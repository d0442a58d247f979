from io import StringIO

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import override_settings

from mentorpact.audit.models import Event
from mentorpact.lib import crypto
from mentorpact.meetings import services
from mentorpact.meetings.models import Feedback, Meeting, Note
from mentorpact.meetings.tests.base import MeetingsTestCase

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def rotate(**options) -> str:
    out = StringIO()
    call_command("rotate_notes_key", stdout=out, **options)
    return out.getvalue()


class RotateNotesKeyTest(MeetingsTestCase):
    def setUp(self):
        # Everything stored under OLD, the agreement the meetings read its terms from too.
        with override_settings(NOTES_ENCRYPTION_KEYS=[OLD]):
            super().setUp()
            self.notes = [self.note(body=f"Note number {n}") for n in range(5)]
            meeting = self.held()
            services.submit_feedback(
                meeting=meeting,
                user=self.theo,
                answers=["Useful", "", "", ""],
                shared_with_partner=True,
            )
            cancelled = self.schedule()
            services.cancel_meeting(
                meeting=cancelled, user=self.theo, based_on_version=1, reason="Flu"
            )

    def tokens(self) -> list[str]:
        values = []
        for model, column in crypto.encrypted_columns():
            values += [t for _, t in crypto.raw_tokens(model._default_manager.all(), column) if t]
        return values

    @override_settings(NOTES_ENCRYPTION_KEYS=[NEW, OLD])
    def test_it_reencrypts_everything_with_the_new_key_in_batches(self):
        before = self.tokens()

        output = rotate(batch_size=2)

        self.assertIn("Re-encrypted 12 value(s); 0 already used the current key.", output)
        after = self.tokens()
        self.assertEqual(len(after), len(before))
        self.assertTrue(all(crypto.uses_current_key(token) for token in after))
        with override_settings(NOTES_ENCRYPTION_KEYS=[NEW]):  # the old key can now go
            self.assertEqual(
                sorted(n.body for n in Note.objects.all()),
                [f"Note number {n}" for n in range(5)],
            )
            self.assertEqual(Feedback.objects.get().answers[0]["answer"], "Useful")
            held = Meeting.objects.filter(status="held").get()
            self.assertEqual(held.topics, "Budget section")
            self.assertTrue(held.place)
            self.assertFalse(crypto.is_unreadable(held.place))
            self.assertEqual(
                Event.objects.get(action="meeting.cancelled").meeting_reason.reason, "Flu"
            )

    @override_settings(NOTES_ENCRYPTION_KEYS=[NEW, OLD])
    def test_a_second_run_changes_nothing(self):
        rotate()
        tokens = self.tokens()

        output = rotate()

        self.assertIn("Re-encrypted 0 value(s); 12 already used the current key.", output)
        self.assertEqual(self.tokens(), tokens)

    @override_settings(NOTES_ENCRYPTION_KEYS=[NEW, OLD])
    def test_it_keeps_the_rows_timestamps(self):
        before = list(Note.objects.order_by("pk").values_list("updated_at", flat=True))

        rotate()

        self.assertEqual(
            list(Note.objects.order_by("pk").values_list("updated_at", flat=True)), before
        )

    @override_settings(NOTES_ENCRYPTION_KEYS=[NEW])
    def test_without_the_old_key_it_stops_with_a_clear_error(self):
        with self.assertRaises(crypto.UnreadableText):
            rotate()
