"""Migration 0005 writes what the format used to guess into every stored template version:
`plan: goal` / `plan: commitment` on the fields the old conventions read, and the rules
`organiser_field` / `contingency_field`. A version stored before it reads as it did."""

import importlib
import re

from django.apps import apps
from django.test import TestCase

from mentorpact.agreement_templates.models import TemplateVersion
from mentorpact.agreement_templates.schema import builtin_templates, load_template
from mentorpact.agreement_templates.services import import_template, sha256

migration = importlib.import_module(
    "mentorpact.agreement_templates.migrations.0005_explicit_plan_and_meeting_fields"
)
ADDED = re.compile(
    r"^ *(plan: (goal|commitment)|organiser_field: \w+|contingency_field: \w+)\n", re.M
)


def as_before(source: str) -> str:
    """The source as stored before the migration: none of the attributes it adds."""
    return ADDED.sub("", source)


class ExplicitMigrationTest(TestCase):
    def test_each_built_in_form_stored_before_reads_as_its_file_after(self):
        for slug, source in builtin_templates().items():
            with self.subTest(slug):
                old = as_before(source)
                self.assertNotEqual(old, source)
                self.assertEqual(migration.explicit_source(old), source)

    def test_a_stored_version_gets_its_source_definition_and_digest_rewritten(self):
        source = builtin_templates()["whprms-partnership"].replace(
            "slug: whprms-partnership", "slug: whprms-copy"
        )
        version = import_template(source=source, filename="copy.yaml")
        old = as_before(source)
        TemplateVersion.objects.filter(pk=version.pk).update(
            source=old,
            source_sha256=sha256(old),
            definition=load_template(old).to_dict(),
        )

        migration.forwards(apps, None)

        version.refresh_from_db()
        self.assertEqual(version.source, source)
        self.assertEqual(version.source_sha256, sha256(source))
        self.assertEqual(version.definition, load_template(source).to_dict())

    def test_a_mentor_only_goal_and_an_unrelated_table_stay_out_of_the_plan(self):
        data = {
            "rules": {"distribution": "pair"},
            "sections": [
                {
                    "blocks": [
                        {"key": "mentor_goals", "kind": "textarea", "party": "mentor"},
                        {"key": "schedule", "kind": "table", "label": "Our meeting times"},
                        {"key": "notes", "kind": "textarea", "label": "Notes"},
                    ]
                }
            ],
        }
        self.assertFalse(migration.make_explicit(data))
