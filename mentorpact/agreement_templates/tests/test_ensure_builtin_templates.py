from unittest import mock

from django.core.management import call_command
from django.test import TestCase

from mentorpact.agreement_templates import schema, services
from mentorpact.agreement_templates.models import AgreementTemplate, TemplateVersion
from mentorpact.agreement_templates.services import ensure_builtin_templates

SLUGS = [
    "aspe-partnership",
    "red-peer-mentoring",
    "remote-planning",
    "university-pilot",
    "whprms-partnership",
]


class EnsureBuiltinTemplatesTest(TestCase):
    def test_migrate_has_already_put_the_five_seed_forms_in_the_database(self):
        templates = AgreementTemplate.objects.order_by("slug")

        self.assertEqual([t.slug for t in templates], SLUGS)
        self.assertTrue(all(t.is_builtin and t.owner_program is None for t in templates))
        for template in templates:
            self.assertEqual(
                template.latest_version().source, schema.builtin_templates()[template.slug]
            )

    def test_running_it_again_changes_nothing(self):
        before = list(TemplateVersion.objects.values_list("pk", "number"))

        report = ensure_builtin_templates()

        self.assertEqual((report.created, report.updated), ([], []))
        self.assertEqual(list(TemplateVersion.objects.values_list("pk", "number")), before)

    def test_a_changed_shipped_file_becomes_a_new_version_and_the_old_one_stays(self):
        shipped = schema.builtin_templates()
        changed = {**shipped, "aspe-partnership": shipped["aspe-partnership"] + "# revised\n"}
        old = TemplateVersion.objects.get(template__slug="aspe-partnership", number=1)

        with mock.patch.object(services, "builtin_templates", return_value=changed):
            report = ensure_builtin_templates()

        self.assertEqual(report.updated, ["aspe-partnership"])
        latest = AgreementTemplate.objects.get(slug="aspe-partnership").latest_version()
        self.assertEqual((latest.number, latest.source), (2, changed["aspe-partnership"]))
        old.refresh_from_db()
        self.assertEqual(old.source, shipped["aspe-partnership"])

    def test_a_missing_built_in_is_added_again(self):
        TemplateVersion.objects.filter(template__slug="remote-planning").delete()
        AgreementTemplate.objects.filter(slug="remote-planning").delete()

        report = ensure_builtin_templates()

        self.assertEqual(report.created, ["remote-planning"])
        self.assertEqual(
            AgreementTemplate.objects.get(slug="remote-planning").title, "Mentoring Relationship"
        )

    def test_migrate_runs_it(self):
        TemplateVersion.objects.filter(template__slug="university-pilot").delete()
        AgreementTemplate.objects.filter(slug="university-pilot").delete()

        call_command("migrate", verbosity=0)

        self.assertTrue(AgreementTemplate.objects.filter(slug="university-pilot").exists())
