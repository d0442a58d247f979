import re
from html.parser import HTMLParser

from django.http import QueryDict
from django.urls import reverse

from mentorpact.agreement_templates import builder
from mentorpact.agreement_templates.schema import load_template
from mentorpact.agreement_templates.services import save_template_source
from mentorpact.test import BaseTestCase, events_of

from . import own_template

HTMX_PREVIEW = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "builder-preview"}


class BuildViewTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.template = own_template(self.program)
        self.v1 = self.template.latest_version()
        self.url = reverse("agreement_templates:build", args=[self.template.slug])

    def post(self, data=None, *, draft=None, based_on=1, user=None, **kwargs):
        self.sign_in(user or self.cora)
        body = {"draft": self.v1.source if draft is None else draft, "based_on": based_on}
        body.update(data or {})
        return self.client.post(self.url, body, **kwargs)

    def draft_of(self, response) -> str:
        return response.context["draft"]

    def test_it_shows_each_part_as_labelled_inputs_and_the_preview(self):
        self.sign_in(self.cora)

        response = self.client.get(self.url)

        self.assertContains(response, "<h1>Build Peer Mentoring&#x27;s own agreement</h1>")
        self.assertContains(
            response,
            '<label for="e-sections-1-blocks-1-label">Label <code class="tpl-name">label'
            "</code></label>",
            html=True,
        )
        self.assertContains(response, 'value="Goal:"')
        self.assertContains(response, "Preview as the mentee")
        self.assertContains(response, 'name="based_on" value="1"')
        self.assertContains(response, "Advanced: edit the YAML")

    def test_a_changed_label_is_saved_as_the_next_version_keeping_the_comments(self):
        response = self.post(
            {"v:sections[1].blocks[1].label": "Our goal:", "action": "save"}, follow=True
        )

        self.assertRedirects(response, self.url)
        self.assertContains(response, "Saved as version 2.")
        latest = self.template.latest_version()
        self.assertEqual((latest.number, latest.created_by), (2, self.cora))
        self.assertIn("label: Our goal:", latest.source.replace('"Our goal:"', "Our goal:"))
        comments = [line for line in self.v1.source.splitlines() if line.startswith("#")]
        self.assertEqual(
            [line for line in latest.source.splitlines() if line.startswith("#")], comments
        )
        self.assertEqual(load_template(latest.source).field("goal").label, "Our goal:")
        self.assertEqual(events_of(self.template).filter(action="template.versioned").count(), 1)

    def test_an_unchanged_form_saves_nothing(self):
        response = self.post({"action": "save"}, follow=True)

        self.assertContains(response, "Nothing changed: this is still version 1.")
        self.assertEqual(self.template.versions.count(), 1)

    def test_a_stale_save_is_refused_and_the_edit_kept(self):
        self.post({"v:title": "Someone else's title", "action": "save"})

        response = self.post({"v:title": "My title", "action": "save"}, based_on=1)

        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Version 2 was saved after the version 1", status_code=400)
        self.assertContains(response, 'value="My title"', status_code=400)
        self.assertEqual(self.template.latest_version().number, 2)

    def test_a_problem_is_shown_beside_its_input_and_in_the_summary(self):
        response = self.post({"v:sections[1].blocks[1].label": "", "action": "save"})

        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "<title>Error: ", status_code=400)
        self.assertContains(response, 'id="error-summary"', status_code=400)
        self.assertContains(
            response,
            '<a href="#e-sections-1-blocks-1-label">Section 2, block 2, label: '
            "missing (every field needs a label)</a>",
            html=True,
            status_code=400,
        )
        self.assertContains(
            response,
            '<div class="field-error" id="e-sections-1-blocks-1-label-error"><p>'
            '<span class="visually-hidden">Error: </span>missing (every field needs a label)'
            "</p></div>",
            html=True,
            status_code=400,
        )
        self.assertEqual(self.template.versions.count(), 1)

    def test_sections_are_added_moved_and_removed_and_the_draft_carries_them(self):
        response = self.post({"op": "add-section"})
        draft = self.draft_of(response)
        self.assertContains(response, "Section 5 added.")
        self.assertContains(response, 'id="e-sections-4-heading" name="v:sections[4].heading"')
        self.assertEqual(load_template(draft).sections[4].heading, "New section")

        response = self.post({"op": "up sections[4]"}, draft=draft)
        draft = self.draft_of(response)
        self.assertEqual(
            [s.key for s in load_template(draft).sections][3:], ["section_1", "closing"]
        )
        self.assertContains(response, 'id="e-sections-3-up" autofocus')

        response = self.post({"op": "remove sections[0]"}, draft=draft)
        draft = self.draft_of(response)
        self.assertEqual(
            [s.key for s in load_template(draft).sections],
            ["goals", "working_together", "section_1", "closing"],
        )
        self.assertEqual(self.template.versions.count(), 1)  # nothing saved yet

    def test_a_field_is_added_with_what_its_kind_needs(self):
        response = self.post(
            {"op": "add-block sections[0]", "new-block:sections[0]": "field:choice"}
        )

        field = load_template(self.draft_of(response)).field("choice_1")
        self.assertEqual((field.kind, field.label), ("choice", "New question"))
        self.assertEqual([o.key for o in field.options], ["option_1"])
        self.assertContains(response, 'id="e-sections-0-blocks-1-label"')

    def test_an_option_is_added_to_a_field(self):
        data = {"op": "add-item sections[2].blocks[2].options"}

        response = self.post(data)

        field = load_template(self.draft_of(response)).field("meeting_modes")
        self.assertEqual([o.key for o in field.options][-1], "option_1")
        self.assertContains(response, 'id="e-sections-2-blocks-2-options-4-label"')

    def test_the_rules_inputs_come_from_the_rules_model(self):
        self.sign_in(self.cora)

        response = self.client.get(self.url)

        for name in ("distribution", "min_meetings", "keep_copy", "feedback_questions"):
            self.assertContains(response, f'name="v:rules.{name}"')
        self.assertContains(response, 'name="v:rules.min_contact.times"')
        # A field reference offers the fields of the kinds it accepts.
        self.assertContains(response, '<option value="months" selected>months</option>', html=True)

    def test_the_htmx_preview_is_the_fragment_as_the_chosen_party(self):
        response = self.post({"action": "preview", "as": "mentor"}, **HTMX_PREVIEW)

        self.assertContains(response, "Preview as the mentor")
        self.assertNotContains(response, "<form")

    def test_a_draft_that_is_no_yaml_is_sent_to_the_yaml_editor_and_nothing_is_saved(self):
        response = self.post({"action": "save"}, draft="sections: [\n")

        self.assertContains(response, "The form editor cannot read this template")
        self.assertContains(response, reverse("agreement_templates:edit", args=["peer-own"]))
        self.assertEqual(self.template.versions.count(), 1)

    def test_it_links_the_formats_reference_served_by_the_product(self):
        self.sign_in(self.cora)

        response = self.client.get(self.url)

        self.assertContains(response, f'href="{reverse("agreement_templates:reference")}"')
        self.assertNotContains(response, "docs/templates.md")

    def test_a_shared_template_is_refused(self):
        self.sign_in(self.cora)
        url = reverse("agreement_templates:build", args=["aspe-partnership"])

        self.assertEqual(self.client.get(url).status_code, 403)

    def test_an_outsider_gets_404(self):
        self.sign_in(self.olive)

        self.assertEqual(self.client.get(self.url).status_code, 404)


class BuilderTest(BaseTestCase):
    def test_an_emptied_input_removes_the_attribute_and_a_kind_change_drops_the_rest(self):
        source = own_template(self.program).latest_version().source
        data = builder.read(source)
        post = _post(
            {"v:sections[1].blocks[1].max_length": "", "v:sections[1].blocks[1].kind": "choice"}
        )

        builder.apply_values(data, post)

        goal = builder.get(data, "sections[1].blocks[1]")
        self.assertNotIn("max_length", goal)
        self.assertNotIn("plan", goal)
        self.assertEqual(goal["kind"], "choice")
        self.assertEqual(
            load_template(builder.write(data)).field("goal").options[0].key, "option_1"
        )

    def test_a_flow_list_stays_one(self):
        source = own_template(self.program).latest_version().source
        data = builder.read(source)
        post = _post({})
        post.setlist("v:signers", ["", "mentor", "mentee", "coordinator"])

        builder.apply_values(data, post)

        self.assertIn("signers: [mentor, mentee, coordinator]", builder.write(data))


def _post(values):
    from django.http import QueryDict

    post = QueryDict(mutable=True)
    for name, value in values.items():
        post[name] = value
    return post


class _Inputs(HTMLParser):
    """What a browser submits from the page's editor form: every named input's value."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.pairs.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.pairs.append((name, ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.pairs.append((self._select, a.get("value") or ""))

    def handle_data(self, data):
        if self._textarea:
            name, text = self.pairs[-1]
            self.pairs[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


class BuildKeepsWhatItHasNoInputsForTest(BaseTestCase):
    def test_role_labels_and_a_guardian_signer_survive_a_save_from_the_form_editor(self):
        template = own_template(self.program)
        source = template.latest_version().source
        source = source.replace("signers:", "roles: {mentee: Student}\nsigners:", 1)
        source = re.sub(
            r"signers: \[([^\]]*)\]",
            r"signers: [\1, {key: guardian, label: Parent or guardian, named_by: mentee}]",
            source,
            count=1,
        )
        result = save_template_source(template=template, source=source, user=self.cora)
        self.assertFalse(result.errors, result.errors)
        url = reverse("agreement_templates:build", args=[template.slug])
        self.sign_in(self.cora)
        page = self.client.get(url)
        self.assertContains(page, "Parent or guardian, named by the mentee")
        self.assertContains(page, 'name="v:roles.mentee" value="Student"')
        form = re.search(
            r'<form[^>]*class="[^"]*tpl-build-form.*?</form>', page.content.decode(), re.S
        )
        inputs = _Inputs()
        inputs.feed(form.group(0))
        post = QueryDict(mutable=True)
        for name, value in inputs.pairs:
            post.appendlist(name, value)
        post["v:title"] = "Renamed in the form editor"
        post["action"] = "save"

        response = self.client.post(url, post, follow=True)

        self.assertContains(response, "Saved as version 3.")
        saved = load_template(template.latest_version().source)
        self.assertEqual(saved.title, "Renamed in the form editor")
        self.assertIn("Student", template.latest_version().source)
        self.assertEqual(saved.role_label("mentee"), "Student")
        self.assertIn("guardian", [s if isinstance(s, str) else s.key for s in saved.signers])

    def test_role_labels_are_three_inputs_and_an_emptied_one_is_removed(self):
        template = own_template(self.program)
        url = reverse("agreement_templates:build", args=[template.slug])
        self.sign_in(self.cora)
        body = {"draft": template.latest_version().source, "based_on": 1, "action": "save"}

        self.client.post(url, body | {"v:roles.mentee": "Protégé", "v:roles.mentor": ""})

        saved = load_template(template.latest_version().source)
        self.assertEqual(
            (saved.role_label("mentee"), saved.role_label("mentor")), ("Protégé", "Mentor")
        )
        self.assertContains(self.client.get(url), 'value="Protégé"')
        body = {"draft": template.latest_version().source, "based_on": 2, "action": "save"}
        self.client.post(url, body | {"v:roles.mentee": ""})
        self.assertNotIn("roles", template.latest_version().source)
