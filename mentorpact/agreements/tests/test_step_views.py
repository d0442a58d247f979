"""The agreement as steps: the task list (agreements:steps), one section per page
(agreements:step) saved through services.save_draft like the whole form, and the sign page
as "check your answers" with a "Change" link per section."""

from mentorpact.agreements.tests.base import STEPS_YAML, AgreementViewTestCase
from mentorpact.audit.models import Event
from mentorpact.partnerships import services as partnership_services


class StepsTestCase(AgreementViewTestCase):
    template_source = STEPS_YAML  # five sections

    def step_url(self, key: str) -> str:
        return self.url("step", key)

    def complete_both(self) -> None:
        self.save(self.theo, {"mentee_goals": "Publish", "confidentiality": {"mentee": True}})
        self.save(
            self.mia,
            {
                "mentor_goals": "Listen",
                "frequency": "Weekly",
                "place": "Online",
                "confidentiality": {"mentor": True},
            },
        )


class TaskListTestCase(StepsTestCase):
    def test_it_lists_each_section_with_its_state_and_what_is_left(self):
        self.save(self.mia, {"mentor_goals": "Listen well", "frequency": "Weekly"})
        self.sign_in(self.theo)
        r = self.client.get(self.url("steps"))
        self.assertEqual(r.status_code, 200)
        html = r.content.decode()
        for key in ("welcome", "goals", "terms", "promise", "other"):
            self.assertIn(f'href="{self.step_url(key)}"', html)
        self.assertContains(r, "1 of 5 sections complete.")
        self.assertContains(r, 'id="task-goals-state">Not started<')
        self.assertContains(r, 'id="task-terms-state">In progress<')
        self.assertContains(r, "Still to fill in: Where we meet")
        self.assertContains(r, 'id="task-promise-state">Not started<')
        self.assertNotContains(r, "Check your answers and sign")

    def test_the_partner_sees_what_they_wait_for(self):
        self.save(self.theo, {"mentee_goals": "Publish"})
        self.sign_in(self.theo)
        r = self.client.get(self.url("steps"))
        self.assertContains(r, 'id="task-goals-state">Waiting for your partner<')
        self.assertContains(r, "Your partner still has to fill in: My goals as a mentor")

    def test_a_complete_draft_offers_to_check_and_sign(self):
        self.complete_both()
        self.sign_in(self.theo)
        r = self.client.get(self.url("steps"))
        self.assertContains(r, "4 of 5 sections complete, and nothing stops signing")
        self.assertContains(r, f'href="{self.url("sign")}">Check your answers and sign<')

    def test_the_coordinator_gets_403_and_an_outsider_404(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(self.url("steps")).status_code, 403)
        self.assertEqual(self.client.get(self.step_url("goals")).status_code, 403)
        self.sign_in(self.olive)
        self.assertEqual(self.client.get(self.url("steps")).status_code, 404)
        self.assertEqual(self.client.post(self.step_url("goals"), {}).status_code, 404)

    def test_in_effect_there_is_nothing_to_fill_in(self):
        self.complete_both()
        self.sign(self.theo)
        self.sign(self.mia)
        self.sign_in(self.theo)
        r = self.client.get(self.url("steps"))
        self.assertRedirects(r, self.url("agreement"), fetch_redirect_response=False)


class StepPageTestCase(StepsTestCase):
    def test_a_step_shows_its_own_section_only(self):
        self.sign_in(self.theo)
        r = self.client.get(self.step_url("terms"))
        self.assertContains(
            r, '<h1 id="terms-heading" tabindex="-1" data-focus-on-load>How we work'
        )
        self.assertContains(r, "Section 3 of 5")
        self.assertContains(r, 'name="f.frequency"')
        self.assertNotContains(r, 'name="f.mentee_goals"')
        self.assertContains(r, "novalidate")
        self.assertContains(r, "Save and continue")
        self.assertContains(r, f'href="{self.step_url("goals")}">Back to “Our goals”')

    def test_an_unknown_section_is_404(self):
        self.sign_in(self.theo)
        self.assertEqual(self.client.get(self.step_url("nope")).status_code, 404)

    def test_save_and_continue_saves_this_section_and_leads_to_the_next(self):
        self.save(self.theo, {"mentee_goals": "Publish"})
        self.sign_in(self.theo)
        draft = self.draft()
        r = self.client.post(
            self.step_url("terms"), self.form_post(draft, frequency="Weekly", place="Online")
        )
        self.assertRedirects(r, self.step_url("promise"), fetch_redirect_response=False)
        draft.refresh_from_db()
        # The other sections' saved values untouched: a step posts only its own fields.
        self.assertEqual(
            draft.content, {"mentee_goals": "Publish", "frequency": "Weekly", "place": "Online"}
        )
        self.assertEqual(draft.revision, 3)
        event = Event.objects.filter(action="agreement.edited").latest("pk")
        self.assertEqual(event.details["fields"], ["frequency", "place"])
        page = self.client.get(r.url)
        self.assertContains(page, "Saved “How we work”.")

    def test_an_acknowledgement_is_this_partners_own(self):
        self.sign_in(self.theo)
        self.client.post(
            self.step_url("promise"),
            self.form_post(self.draft(), **{"confidentiality.mentee": "yes"}),
        )
        self.assertEqual(self.draft().content, {"confidentiality": {"mentee": True}})

    def test_bad_input_keeps_the_text_and_shows_the_error_summary(self):
        self.sign_in(self.theo)
        r = self.client.post(
            self.step_url("terms"), self.form_post(self.draft(), frequency="Weekly", months="99")
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'id="error-summary" data-error-summary role="alert"')
        self.assertContains(r, 'href="#f-months">For how many months — Enter a whole number')
        self.assertContains(r, 'value="Weekly"')
        self.assertContains(r, 'value="99"')
        self.assertTrue(r.content.decode().split("<title>")[1].startswith("Error: "))
        self.assertEqual(self.draft().content, {})

    def test_a_stale_save_is_refused_as_the_whole_form_refuses_it(self):
        started = self.draft()
        self.save(self.mia, {"frequency": "Weekly, on Mondays"})
        self.sign_in(self.theo)
        r = self.client.post(
            self.step_url("terms"), self.form_post(started, frequency="Monthly", place="Online")
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Not saved.")
        self.assertContains(r, "Mia Mentor changed")
        self.assertContains(r, "You both changed “How often we meet”")
        self.assertContains(r, 'value="Monthly"')  # Theo's text kept
        self.assertContains(r, 'name="revision" value="2"')
        self.assertEqual(self.draft().content, {"frequency": "Weekly, on Mondays"})
        # Saved again from the merged form, it applies.
        r = self.client.post(
            self.step_url("terms"), {"revision": 2, "f.frequency": "Monthly", "f.place": "Online"}
        )
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.draft().content, {"frequency": "Monthly", "place": "Online"})

    def test_the_other_partners_fields_are_shown_locked_and_not_written(self):
        self.sign_in(self.theo)
        r = self.client.get(self.step_url("goals"))
        self.assertContains(r, "Mia Mentor (mentor) fills this in")
        self.client.post(
            self.step_url("goals"), self.form_post(self.draft(), mentor_goals="Not mine")
        )
        self.assertEqual(self.draft().content, {})

    def test_after_the_last_section_signing_when_complete_else_the_task_list(self):
        self.sign_in(self.theo)
        r = self.client.post(self.step_url("other"), self.form_post(self.draft(), other="Tea"))
        self.assertRedirects(r, self.url("steps"), fetch_redirect_response=False)
        self.complete_both()
        r = self.client.post(self.step_url("other"), self.form_post(self.draft(), other="Cake"))
        self.assertRedirects(r, self.url("sign"), fetch_redirect_response=False)

    def test_a_change_from_check_your_answers_returns_there(self):
        self.sign_in(self.theo)
        r = self.client.get(self.step_url("terms") + "?from=check")
        self.assertContains(r, '<input type="hidden" name="from" value="check">')
        self.assertContains(r, "Save and return to check your answers")
        r = self.client.post(
            self.step_url("terms"),
            {**self.form_post(self.draft(), place="Online"), "from": "check"},
        )
        self.assertRedirects(r, self.url("sign"), fetch_redirect_response=False)

    def test_the_sign_page_links_each_partners_section_back_to_its_step(self):
        self.sign_in(self.theo)
        r = self.client.get(self.url("sign"))
        self.assertContains(r, "Check your answers")
        for key in ("goals", "terms", "promise", "other"):
            self.assertContains(r, f'href="{self.step_url(key)}?from=check">Change')
        self.assertNotContains(r, f'href="{self.step_url("welcome")}?from=check"')
        # The fingerprint behind a disclosure.
        self.assertContains(r, '<details class="tech-details"><summary>Technical details')

    def test_the_whole_form_links_to_the_steps(self):
        self.sign_in(self.theo)
        r = self.client.get(self.url("agreement"))
        self.assertContains(r, f'href="{self.url("steps")}">Fill it in section by section')

    def test_a_step_of_a_closed_partnership_says_why_instead_of_saving(self):
        draft = self.draft()
        partnership_services.change_status(
            partnership=self.partnership, to_status="ended_early", actor=self.theo
        )
        self.sign_in(self.theo)
        r = self.client.post(
            self.step_url("terms"), self.form_post(draft, frequency="Weekly"), follow=True
        )
        self.assertContains(r, "This partnership has ended early")
        self.assertEqual(self.draft().content, {})

    def test_a_step_warns_that_a_change_voids_a_signature_given(self):
        self.complete_both()
        self.sign(self.mia)
        self.sign_in(self.theo)
        r = self.client.get(self.step_url("terms"))
        self.assertContains(r, "Signed so far by Mia Mentor (mentor): saving a change here voids")
