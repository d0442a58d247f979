from django.core import mail
from django.test import override_settings

from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements.models import Agreement, AgreementVersion
from mentorpact.agreements.tests.base import (
    IMMEDIATE_TASKS,
    AgreementViewTestCase,
    make_template,
)
from mentorpact.audit.models import Event
from mentorpact.partnerships import services as partnership_services
from mentorpact.programs.models import Enrolment, Program

SCRIPT = "<script>alert('x')</script>"


class AgreementPageTestCase(AgreementViewTestCase):
    def test_a_partner_sees_the_draft_form(self):
        self.sign_in(self.theo)
        r = self.client.get(self.url("agreement"))
        self.assertContains(r, "Draft: version 1")
        self.assertContains(r, 'name="revision" value="1"')
        self.assertContains(r, 'name="f.mentee_goals"')
        # Mia's own field is shown to Theo, locked.
        self.assertContains(r, "Mia Mentor (mentor) fills this in")

    def test_the_due_date_is_shown(self):
        self.sign_in(self.mia)
        self.assertContains(self.client.get(self.url("agreement")), "23 February 2027")

    def test_a_partners_first_look_drafts_nothing_and_offers_to_start(self):
        # A GET only reads: the agreement is drafted by the start button's POST
        # (test_start_view.py).
        program = Program.objects.create(name="Second")
        set_template(program, make_template(slug="t2"))
        for user, role in ((self.mia, "mentor"), (self.theo, "mentee")):
            Enrolment.objects.create(program=program, user=user, role=role)
        other = partnership_services.create_partnership(
            program=program, mentor=self.mia, mentee=self.theo
        )
        self.sign_in(self.theo)
        from django.urls import reverse

        r = self.client.get(reverse("agreements:agreement", args=[other.public_id]))
        self.assertContains(r, "There is no agreement yet.")
        self.assertContains(r, reverse("agreements:start", args=[other.public_id]))
        self.assertNotContains(r, "Draft: version 1")
        self.assertFalse(Agreement.objects.filter(partnership=other).exists())

    def test_the_coordinator_sees_the_status_not_the_draft(self):
        self.save(self.theo, {"mentee_goals": "My private goal"})
        self.sign_in(self.cora)
        r = self.client.get(self.url("agreement"))
        self.assertContains(r, "Drafts are theirs alone")
        self.assertNotContains(r, "My private goal")
        self.assertNotContains(r, 'name="revision"')

    def test_an_outsider_gets_404(self):
        self.sign_in(self.olive)
        self.assertEqual(self.client.get(self.url("agreement")).status_code, 404)


class SaveDraftViewTestCase(AgreementViewTestCase):
    def test_a_save_updates_the_draft_and_redirects(self):
        self.sign_in(self.theo)
        r = self.client.post(
            self.url("agreement"),
            self.form_post(self.draft(), frequency="Weekly", mentee_goals="Publish"),
        )
        self.assertRedirects(r, self.url("agreement") + "#draft", fetch_redirect_response=False)
        draft = self.draft()
        draft.refresh_from_db()
        self.assertEqual(draft.content, {"frequency": "Weekly", "mentee_goals": "Publish"})
        self.assertEqual(draft.revision, 2)
        event = Event.objects.get(action="agreement.edited")
        self.assertEqual(event.actor, self.theo)

    def test_bad_input_keeps_the_text_and_shows_errors_beside_the_fields(self):
        self.sign_in(self.theo)
        r = self.client.post(
            self.url("agreement"),
            self.form_post(
                self.draft(), frequency="Weekly", months="99", first_meeting="2027-02-30"
            ),
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Enter a whole number between 1 and 24.")
        self.assertContains(r, "Enter a real date, like 2027-02-23.")
        self.assertContains(r, 'value="Weekly"')  # the typed text is kept
        self.assertContains(r, 'value="99"')
        self.assertContains(r, 'aria-invalid="true"')
        self.assertEqual(self.draft().content, {})

    def test_an_error_keeps_the_revision_the_form_started_from(self):
        self.sign_in(self.theo)
        started = self.draft()
        self.save(self.mia, {"frequency": "Mia's text"})  # meanwhile
        r = self.client.post(self.url("agreement"), self.form_post(started, months="99"))
        self.assertContains(r, 'name="revision" value="1"')

    def test_over_long_text_is_refused_and_kept(self):
        self.sign_in(self.theo)
        r = self.client.post(
            self.url("agreement"), self.form_post(self.draft(), frequency="x" * 250)
        )
        self.assertContains(r, "Enter at most 200 characters (you entered 250).")
        self.assertContains(r, "x" * 250)

    def test_markup_is_saved_as_text_and_shown_escaped(self):
        self.sign_in(self.theo)
        self.client.post(self.url("agreement"), self.form_post(self.draft(), frequency=SCRIPT))
        r = self.client.get(self.url("agreement"))
        self.assertNotContains(r, SCRIPT)
        self.assertContains(r, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")

    def test_a_stale_save_is_refused_and_shows_what_the_partner_changed(self):
        started = self.draft()
        self.save(self.mia, {"frequency": "Weekly, on Mondays", "mentor_goals": "Listen"})
        self.sign_in(self.theo)
        r = self.client.post(
            self.url("agreement"), self.form_post(started, frequency="Monthly", mentee_goals="Mine")
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Not saved.")
        self.assertContains(r, "Mia Mentor changed")
        self.assertContains(r, "Weekly, on Mondays")  # what she wrote, shown
        self.assertContains(r, "You both changed “How often we meet”")
        self.assertContains(r, 'value="Monthly"')  # Theo's text kept in the form
        self.assertContains(r, 'name="revision" value="2"')  # the next save applies
        draft = self.draft()
        self.assertEqual(draft.content["frequency"], "Weekly, on Mondays")  # nothing overwritten
        self.assertNotIn("mentee_goals", draft.content)

    def test_the_next_save_after_a_refusal_applies(self):
        started = self.draft()
        self.save(self.mia, {"frequency": "Weekly"})
        self.sign_in(self.theo)
        self.client.post(self.url("agreement"), self.form_post(started, frequency="Monthly"))
        self.client.post(self.url("agreement"), {"revision": 2, "f.frequency": "Monthly"})
        self.assertEqual(self.draft().content["frequency"], "Monthly")

    def test_the_htmx_save_returns_the_draft_fragment(self):
        self.sign_in(self.theo)
        r = self.client.post(
            self.url("agreement"),
            self.form_post(self.draft(), frequency="Weekly"),
            headers={"HX-Request": "true"},
        )
        self.assertContains(r, "Draft saved.")
        self.assertContains(r, 'id="draft"')
        self.assertNotContains(r, "<html")
        self.assertContains(r, 'name="revision" value="2"')

    def test_the_htmx_error_returns_the_fragment_with_errors(self):
        self.sign_in(self.theo)
        r = self.client.post(
            self.url("agreement"),
            self.form_post(self.draft(), months="0"),
            headers={"HX-Request": "true"},
        )
        self.assertNotContains(r, "<html")
        self.assertContains(r, "Enter a whole number between 1 and 24.")

    def test_a_partner_cannot_write_the_others_field(self):
        self.sign_in(self.theo)
        self.client.post(self.url("agreement"), self.form_post(self.draft(), mentor_goals="Theo's"))
        self.assertNotIn("mentor_goals", self.draft().content)

    def test_the_coordinator_gets_403(self):
        self.sign_in(self.cora)
        r = self.client.post(self.url("agreement"), self.form_post(self.draft(), frequency="x"))
        self.assertEqual(r.status_code, 403)
        self.assertEqual(self.draft().content, {})

    def test_an_outsider_gets_404(self):
        self.sign_in(self.olive)
        r = self.client.post(self.url("agreement"), self.form_post(self.draft(), frequency="x"))
        self.assertEqual(r.status_code, 404)

    def test_saving_when_in_effect_says_to_amend(self):
        version = self.sign_by_both()
        self.sign_in(self.theo)
        r = self.client.post(
            self.url("agreement"), self.form_post(version, frequency="x"), follow=True
        )
        self.assertContains(r, "propose an amendment")
        version.refresh_from_db()
        self.assertNotEqual(version.content["frequency"], "x")

    @override_settings(TASKS=IMMEDIATE_TASKS)
    def test_an_edit_after_the_partners_signature_voids_it_and_tells_them(self):
        signed = self.complete()
        self.sign(self.theo, signed)
        self.sign_in(self.mia)
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(
                self.url("agreement"), self.form_post(signed, frequency="Changed"), follow=True
            )
        self.assertContains(r, "their signature was voided")
        self.assertEqual(AgreementVersion.objects.get(pk=signed.pk).status, "replaced")
        self.assertEqual([m.to for m in mail.outbox], [["theo@example.org"]])
        self.sign_in(self.theo)
        r = self.client.get(self.url("agreement"))
        self.assertContains(r, "Your signature was voided.")
