from mentorpact.agreement_templates.models import AgreementTemplate, TemplateAction, TemplateVersion
from mentorpact.agreement_templates.schema import TemplateError, builtin_templates
from mentorpact.agreement_templates.services import import_template
from mentorpact.test import BaseTestCase, events_of, kinds

SOURCE = """\
format: 1
slug: rsp-2027
title: RSP Agreement 2027
signers: [mentor, mentee]
rules: {distribution: pair}
sections:
  - key: goals
    blocks:
      - {key: goal, kind: textarea, label: "Goal:"}
"""


class ImportTemplateTest(BaseTestCase):
    def test_a_new_slug_becomes_a_new_template_at_version_1(self):
        version = import_template(source=SOURCE, filename="rsp.yaml", created_by=self.cora)

        template = AgreementTemplate.objects.get(slug="rsp-2027")
        self.assertEqual((version.template, version.number), (template, 1))
        self.assertEqual(template.title, "RSP Agreement 2027")
        self.assertFalse(template.is_builtin)
        self.assertIsNone(template.owner_program)
        self.assertEqual(version.source, SOURCE)
        self.assertEqual(version.definition["sections"][0]["blocks"][0]["key"], "goal")
        self.assertEqual(version.created_by, self.cora)
        self.assertEqual(
            [(e.action, e.details["version_id"], e.actor_id) for e in events_of(template)],
            [(TemplateAction.CREATED, version.pk, self.cora.pk)],
        )

    def test_the_same_source_again_changes_nothing(self):
        first = import_template(source=SOURCE, filename="rsp.yaml")

        again = import_template(source=SOURCE, filename="rsp.yaml")

        self.assertEqual(again, first)
        self.assertEqual(TemplateVersion.objects.filter(template__slug="rsp-2027").count(), 1)
        self.assertEqual(
            events_of(AgreementTemplate.objects.get(slug="rsp-2027")).count(),
            1,
        )

    def test_a_changed_source_becomes_the_next_version_and_leaves_the_old_one_alone(self):
        first = import_template(source=SOURCE, filename="rsp.yaml")
        changed = SOURCE.replace("RSP Agreement 2027", "RSP Agreement (2027 cohort)")

        second = import_template(source=changed, filename="rsp.yaml")

        first.refresh_from_db()
        self.assertEqual(second.number, 2)
        self.assertEqual(first.source, SOURCE)
        self.assertEqual(first.definition["title"], "RSP Agreement 2027")
        self.assertEqual(
            AgreementTemplate.objects.get(slug="rsp-2027").title, second.definition["title"]
        )
        self.assertEqual(
            kinds(events_of(AgreementTemplate.objects.get(slug="rsp-2027"))),
            ["created", "versioned"],
        )

    def test_an_invalid_source_is_refused_with_its_errors_and_nothing_is_written(self):
        with self.assertRaises(TemplateError) as refused:
            import_template(source=SOURCE.replace("textarea", "txt"), filename="rsp.yaml")

        self.assertIn(
            'rsp.yaml:9: sections[0].blocks[0].kind: unknown kind "txt"',
            refused.exception.errors[0],
        )
        self.assertFalse(AgreementTemplate.objects.filter(slug="rsp-2027").exists())

    def test_a_built_ins_exact_text_is_accepted_and_changes_nothing(self):
        before = TemplateVersion.objects.count()

        version = import_template(source=builtin_templates()["aspe-partnership"], filename="a.yaml")

        self.assertEqual((version.template.slug, version.number), ("aspe-partnership", 1))
        self.assertEqual(TemplateVersion.objects.count(), before)

    def test_a_changed_built_in_is_refused_clone_it_instead(self):
        source = builtin_templates()["aspe-partnership"].replace('"Goal:"', '"Our goal:"')

        with self.assertRaises(TemplateError) as refused:
            import_template(source=source, filename="aspe.yaml")

        self.assertIn('"aspe-partnership" is a built-in template', str(refused.exception))
        self.assertIn("Clone it under a new slug", str(refused.exception))
        self.assertEqual(
            TemplateVersion.objects.filter(template__slug="aspe-partnership").count(), 1
        )

    def test_a_built_in_slug_cannot_be_taken_even_before_the_built_in_is_imported(self):
        TemplateVersion.objects.filter(template__slug="remote-planning").delete()
        AgreementTemplate.objects.filter(slug="remote-planning").delete()
        source = SOURCE.replace("slug: rsp-2027", "slug: remote-planning")

        with self.assertRaises(TemplateError):
            import_template(source=source, filename="remote.yaml")

        self.assertFalse(AgreementTemplate.objects.filter(slug="remote-planning").exists())
