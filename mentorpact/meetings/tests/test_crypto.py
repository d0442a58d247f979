"""Notes and the rest are encrypted at rest: the database column never holds the text."""

from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import SimpleTestCase, override_settings

from mentorpact.lib import crypto
from mentorpact.meetings.models import Note
from mentorpact.meetings.tests.base import MeetingsTestCase

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw(table: str, column: str, pk: int) -> str:
    """The column as stored, read with SQL (no model, no decryption)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


class EncryptedColumnsTest(MeetingsTestCase):
    def test_a_notes_column_holds_a_token_never_the_text(self):
        note = self.note(body="Theo worries about the viva")

        stored = raw("meetings_note", "body_token", note.pk)

        self.assertNotIn("viva", stored)
        self.assertTrue(stored.startswith("gAAAAA"))  # a Fernet token
        self.assertEqual(Note.objects.get(pk=note.pk).body, "Theo worries about the viva")

    def test_the_same_text_encrypts_differently_each_time(self):
        first = self.note(body="Same words")
        second = self.note(body="Same words")

        self.assertNotEqual(first.body_token, second.body_token)

    def test_every_encrypted_attribute_is_known_to_the_rotation(self):
        self.assertEqual(
            sorted((model.__name__, column) for model, column in crypto.encrypted_columns()),
            [
                ("AgreedDisclosure", "boundaries"),
                ("AgreedDisclosure", "issue"),
                ("AgreedDisclosure", "person"),
                ("AgreementRevision", "content_token"),
                ("AgreementVersion", "content_token"),
                ("ClosingReview", "mentee_learning"),
                ("ClosingReview", "mentor_learning"),
                ("ClosingReview", "outcomes"),
                ("Commitment", "opportunity"),
                ("Commitment", "venue"),
                ("DangerDisclosure", "disclosed_to"),
                ("DangerDisclosure", "reason"),
                ("DisclosureUse", "note"),
                ("DisclosureUse", "to_whom"),
                ("Email", "body"),
                ("Email", "html"),
                ("Email", "subject"),
                ("Endpoint", "secret"),
                ("Feedback", "answers_token"),
                ("HelpMessage", "body"),
                ("HelpRequest", "message"),
                ("Invitation", "absence_reason"),
                ("Meeting", "agenda_token"),
                ("Meeting", "place"),
                ("Meeting", "topics_token"),
                ("MeetingReason", "reason_token"),
                ("MidpointReview", "answers"),
                ("MidpointReview", "change_note"),
                ("MidpointReview", "overall"),
                ("Note", "body_token"),
                ("PlanItem", "action_steps"),
                ("PlanItem", "goal"),
                ("PlanItem", "measure"),
                ("PlanItem", "progress_note"),
                ("Profile", "answers"),
                ("Response", "answers"),
                ("ThankYouNote", "body"),
                ("ThankYouNote", "subject"),
            ],
        )

    def test_any_configured_key_decrypts_and_the_first_encrypts(self):
        with override_settings(NOTES_ENCRYPTION_KEYS=[OLD]):
            token = crypto.encrypt("written under the old key")
        with override_settings(NOTES_ENCRYPTION_KEYS=[NEW, OLD]):
            self.assertEqual(crypto.decrypt(token), "written under the old key")
            self.assertFalse(crypto.uses_current_key(token))
            self.assertTrue(crypto.uses_current_key(crypto.encrypt("new")))

    def test_a_token_no_key_opens_raises_a_clear_error(self):
        with override_settings(NOTES_ENCRYPTION_KEYS=[OLD]):
            token = crypto.encrypt("lost")

        with (
            override_settings(NOTES_ENCRYPTION_KEYS=[NEW]),
            self.assertRaises(crypto.UnreadableText) as caught,
        ):
            crypto.decrypt(token)

        self.assertIn("rotate_notes_key", str(caught.exception))

    def test_empty_text_stays_empty(self):
        self.assertEqual((crypto.encrypt(""), crypto.decrypt("")), ("", ""))


class EncryptedTextFieldTest(SimpleTestCase):
    def test_its_max_length_limits_the_text_as_a_char_field_would(self):
        field = crypto.EncryptedTextField(max_length=5)

        self.assertEqual(field.clean("short", None), "short")
        with self.assertRaises(ValidationError):
            field.clean("too long", None)
