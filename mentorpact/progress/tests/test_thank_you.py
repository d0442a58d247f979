from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mentorpact.progress import services
from mentorpact.progress.models import ThankYouNote
from mentorpact.progress.tests.base import ProgressTestCase, hold_meetings
from mentorpact.progress.tests.test_closing import IMMEDIATE_TASKS


@override_settings(TASKS=IMMEDIATE_TASKS)
class ThankYouTest(ProgressTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sign()
        self.items = list(self.start_plan().items.all())
        self.url = reverse("progress:thank_you", args=[self.partnership.public_id])

    def close(self) -> None:
        outcomes = {
            str(item.public_id): {"outcome": "met" if i < 2 else "not_met", "evidence": ""}
            for i, item in enumerate(self.items)
        }
        review = services.propose_closing(
            partnership=self.partnership,
            actor=self.mia,
            decision="conclude",
            outcomes=outcomes,
            learning="Mia's conclusion",
        )
        services.confirm_closing(
            review=review,
            actor=self.theo,
            based_on_version=1,
            outcomes=outcomes,
            learning="How to review a paper, and to ask early.",
        )

    def test_before_closing_it_waits_for_the_closing_review(self):
        self.sign_in(self.theo)
        self.assertContains(self.client.get(self.url), "once your closing review is confirmed")

    def test_the_draft_is_drawn_from_the_record(self):
        self.close()
        self.sign_in(self.theo)
        hold_meetings(self.partnership, 5)
        response = self.client.get(self.url)
        self.assertContains(response, "Thank you, Mia")
        self.assertContains(response, "since 1 September 2026")
        self.assertContains(response, "We met 5 times")
        self.assertContains(response, "- Become a confident peer reviewer.")
        self.assertContains(response, "- Review two papers with Mia&#x27;s comments")
        self.assertNotContains(response, "- Write one review alone")  # not met
        self.assertContains(response, "How to review a paper, and to ask early.")

    def test_preview_then_send_emails_the_mentor_once(self):
        self.close()
        self.sign_in(self.theo)
        data = {"subject": "Thank you!", "body": "Dear Mia,\nThank you.\nTheo"}
        preview = self.client.post(self.url, {**data, "step": "preview"})
        self.assertContains(preview, "Nothing is sent until you press Send.")
        self.assertEqual(mail.outbox, [])
        with self.captureOnCommitCallbacks(execute=True):
            sent = self.client.post(self.url, {**data, "step": "send"})
        self.assertRedirects(sent, reverse("progress:closing", args=[self.partnership.public_id]))
        [email] = mail.outbox
        self.assertEqual((email.to, email.subject), (["mia@example.org"], "Thank you!"))
        self.assertIn("Thank you.", email.body)
        self.assertIn("Sent by Theo Mentee (theo@example.org)", email.body)
        self.assertEqual(ThankYouNote.objects.get().author, self.theo)
        again = self.client.post(self.url, {**data, "step": "send"})
        self.assertContains(again, "You sent it")
        self.assertEqual(len(mail.outbox), 1)

    def test_edit_returns_to_the_form_with_the_text_kept(self):
        self.close()
        self.sign_in(self.theo)
        response = self.client.post(self.url, {"subject": "Hi", "body": "My words", "step": "edit"})
        self.assertContains(response, "My words")
        self.assertContains(response, 'value="preview"')

    def test_an_empty_message_is_refused_beside_the_field(self):
        self.close()
        self.sign_in(self.theo)
        response = self.client.post(self.url, {"subject": "Hi", "body": "", "step": "send"})
        self.assertContains(response, "This field is required.")
        self.assertFalse(ThankYouNote.objects.exists())

    def test_the_mentor_does_not_send_one(self):
        self.close()
        self.sign_in(self.mia)
        self.assertEqual(self.client.get(self.url).status_code, 403)
