from django.urls import reverse
from django.utils.html import escape

from mentorpact.programs.models import Program
from mentorpact.test import BaseTestCase, events_of

from . import own_template

HTMX_PREVIEW = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "preview"}


class EditViewTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.template = own_template(self.program)
        self.v1 = self.template.latest_version()
        self.url = reverse("agreement_templates:edit", args=[self.template.slug])

    def post(self, source, action="save", based_on=1, user=None, **kwargs):
        self.sign_in(user or self.cora)
        data = {"source": source, "based_on": based_on, "action": action}
        return self.client.post(self.url, data, **kwargs)

    def test_it_shows_the_latest_source_in_a_labelled_editor_and_its_preview(self):
        self.sign_in(self.cora)

        response = self.client.get(self.url)

        self.assertContains(response, '<label for="source">Template (YAML)</label>', html=True)
        self.assertContains(response, "slug: peer-own")
        self.assertContains(response, '<input type="hidden" name="based_on" value="1">', html=True)
        self.assertContains(response, "Your text as typed, as partners will see it")
        self.assertContains(
            response,
            '<label for="f-goal">Goal: '
            '<abbr class="req" title="needed before signing">*</abbr></label>',
            html=True,
        )

    def test_a_changed_source_is_saved_as_the_next_version(self):
        source = self.v1.source.replace('"Goal:"', '"Our goal:"')

        response = self.post(source, follow=True)

        self.assertRedirects(response, self.url)
        self.assertContains(response, "Saved as version 2.")
        latest = self.template.latest_version()
        self.assertEqual((latest.number, latest.source, latest.created_by), (2, source, self.cora))
        self.assertEqual(
            events_of(self.template).filter(action="template.versioned").count(),
            1,
        )
        self.v1.refresh_from_db()
        self.assertIn('"Goal:"', self.v1.source)

    def test_errors_are_listed_by_line_and_the_typed_text_is_kept(self):
        source = self.v1.source.replace('label: "Goal:"', 'lable: "Goal:"')
        line = next(i for i, text in enumerate(source.splitlines(), 1) if "lable" in text)

        response = self.post(source)

        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Not saved: 2 problems", status_code=400)
        self.assertContains(
            response,
            f'<a href="#source" data-line="{line}">Line {line}</a>: '
            "sections[1].blocks[1].lable: unknown attribute &quot;lable&quot; "
            "(did you mean &quot;label&quot;?)",
            status_code=400,
        )
        self.assertContains(
            response,
            '<pre class="tpl-line"><code>        lable: &quot;Goal:&quot;</code></pre>',
            html=True,
            status_code=400,
        )
        self.assertContains(response, "\n" + escape(source) + "</textarea>", status_code=400)
        self.assertContains(
            response,
            'aria-describedby="source-help source-errors" aria-invalid="true"',
            status_code=400,
        )
        self.assertEqual(self.template.versions.count(), 1)

    def test_an_empty_source_is_refused_beside_the_editor(self):
        response = self.post("")

        self.assertContains(
            response, "The template is empty: write or paste a template.", status_code=400
        )
        self.assertEqual(self.template.versions.count(), 1)

    def test_saving_over_a_newer_version_is_refused(self):
        self.post(self.v1.source.replace('"Goal:"', '"Our goal:"'))

        response = self.post(self.v1.source.replace('"Goal:"', '"Their goal:"'), based_on=1)

        self.assertContains(
            response, "Version 2 was saved after the version 1 you were editing", status_code=400
        )
        self.assertEqual(self.template.versions.count(), 2)

    def test_preview_without_javascript_shows_the_typed_text_rendered_and_saves_nothing(self):
        source = self.v1.source.replace('"Goal:"', '"Previewed goal:"')

        response = self.post(source, action="preview")

        self.assertContains(response, "<html")
        self.assertContains(response, "Previewed goal:")
        self.assertEqual(self.template.versions.count(), 1)

    def test_the_htmx_live_preview_is_the_preview_fragment_alone(self):
        response = self.post(
            self.v1.source.replace('"Goal:"', '"Live goal:"'), action="preview", **HTMX_PREVIEW
        )

        self.assertNotContains(response, "<html")
        self.assertContains(response, '<section id="preview"')
        self.assertContains(response, "Live goal:")

    def test_the_live_preview_of_invalid_text_lists_its_problems(self):
        response = self.post("format: 1\nslug: peer-own\n", action="preview", **HTMX_PREVIEW)

        self.assertContains(response, "The preview shows once the template is valid.")
        self.assertContains(response, "title: missing")

    def test_a_built_in_is_read_only(self):
        self.sign_in(self.cora)

        response = self.client.get(reverse("agreement_templates:edit", args=["aspe-partnership"]))

        self.assertEqual(response.status_code, 403)

    def test_another_programs_template_is_not_found_and_partners_are_refused(self):
        theirs = own_template(Program.objects.create(name="Other"), slug="theirs")
        self.sign_in(self.cora)
        self.assertEqual(
            self.client.get(reverse("agreement_templates:edit", args=[theirs.slug])).status_code,
            404,
        )
        self.assertEqual(self.post(self.v1.source + "# x\n", user=self.mia).status_code, 403)
        self.assertEqual(self.post(self.v1.source + "# x\n", user=self.olive).status_code, 404)
        self.assertEqual(self.template.versions.count(), 1)

    def test_the_live_preview_of_an_emptied_editor_still_answers(self):
        response = self.post("", action="preview", **HTMX_PREVIEW)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The preview shows once the template is valid.")
