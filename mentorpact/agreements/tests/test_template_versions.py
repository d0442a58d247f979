"""Editing a template that agreements already use makes a new version: existing agreements keep
the version they were drafted from and render exactly as before; new ones get the new version."""

from django.template.loader import render_to_string

from mentorpact.agreement_templates.rendering import build_form, build_print
from mentorpact.agreement_templates.services import choose_template, save_template_source
from mentorpact.agreement_templates.tests import own_template
from mentorpact.agreements import services as agreements
from mentorpact.test import BaseTestCase


def rendered(template_version, content) -> tuple[str, str]:
    template = template_version.as_template()
    form = render_to_string(
        "agreement_templates/_form.html",
        {"form": build_form(template, content, {}, party="mentee")},
    )
    paper = render_to_string(
        "agreement_templates/_print.html", {"doc": build_print(template, content)}
    )
    return form, paper


class VersionsTest(BaseTestCase):
    def test_an_agreement_keeps_its_version_and_renders_identically_after_an_edit(self):
        template = own_template(self.program)
        choose_template(program=self.program, template=template, user=self.cora)
        agreement = agreements.start_agreement(partnership=self.partnership, actor=self.mia)
        drafted = agreement.versions.get()
        content = {"goal": "Publish two papers", "objectives": ["Write", "Submit"], "months": 6}
        before = rendered(drafted.template_version, content)
        v1 = template.latest_version()

        result = save_template_source(
            template=template,
            source=v1.source.replace('"Goal:"', '"Our shared goal:"').replace("max: 60", "max: 24"),
            user=self.cora,
        )

        self.assertTrue(result.created)
        drafted.refresh_from_db()
        self.assertEqual(drafted.template_version, v1)
        self.assertEqual(rendered(drafted.template_version, content), before)
        self.assertIn("Goal:", before[0])
        self.assertNotIn("Our shared goal:", before[0])
        # A partnership drafting now gets the new version.
        (newcomer,) = self.add_mentees(1)
        fresh = agreements.start_agreement(partnership=newcomer, actor=self.mia).versions.get()
        self.assertEqual(fresh.template_version, result.version)
        self.assertIn("Our shared goal:", rendered(fresh.template_version, {})[0])

    def test_a_versions_stored_definition_does_not_depend_on_its_source(self):
        template = own_template(self.program)
        v1 = template.latest_version()
        form_before = rendered(v1, {})

        save_template_source(template=template, source=v1.source + "# note\n", user=self.cora)
        v1.refresh_from_db()

        self.assertEqual(rendered(v1, {}), form_before)
        self.assertEqual(template.versions.count(), 2)
