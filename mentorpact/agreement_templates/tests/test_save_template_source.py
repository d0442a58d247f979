from mentorpact.agreement_templates.models import AgreementTemplate, TemplateAction, TemplateVersion
from mentorpact.agreement_templates.services import clone_template, save_template_source
from mentorpact.test import BaseTestCase, events_of


def line_of(source: str, text: str) -> int:
    return next(i for i, line in enumerate(source.splitlines(), 1) if text in line)


class SaveTemplateSourceTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.clone = clone_template(
            template=AgreementTemplate.objects.get(slug="aspe-partnership"),
            slug="peer-2027",
            title="Peer Agreement",
            user=self.cora,
            program=self.program,
        )
        self.v1 = self.clone.latest_version()

    def save(self, source, **kwargs):
        return save_template_source(template=self.clone, source=source, user=self.cora, **kwargs)

    def test_a_changed_source_is_saved_as_the_next_version(self):
        source = self.v1.source.replace('"Goal:"', '"Our goal:"')

        result = self.save(source, based_on=1)

        self.assertTrue(result.ok and result.created)
        self.assertEqual(result.version.number, 2)
        self.assertEqual(
            result.version.definition["sections"][1]["blocks"][1]["label"], "Our goal:"
        )
        self.v1.refresh_from_db()
        self.assertIn('"Goal:"', self.v1.source)
        self.assertEqual(
            events_of(self.clone)
            .filter(action=TemplateAction.VERSIONED)
            .get()
            .details["version_id"],
            result.version.pk,
        )

    def test_the_browsers_crlf_line_endings_are_saved_as_newlines(self):
        source = self.v1.source.replace('"Goal:"', '"Our goal:"').replace("\n", "\r\n")

        result = self.save(source)

        self.assertNotIn("\r", result.version.source)

    def test_the_same_text_saves_nothing(self):
        result = self.save(self.v1.source, based_on=1)

        self.assertTrue(result.ok)
        self.assertFalse(result.created)
        self.assertEqual(result.version, self.v1)
        self.assertEqual(self.clone.versions.count(), 1)

    def test_an_invalid_source_returns_every_error_and_saves_nothing(self):
        source = self.v1.source.replace("kind: textarea", "kind: txt", 1).replace(
            'label: "Objectives:"', 'lable: "Objectives:"'
        )

        result = self.save(source)

        self.assertFalse(result.ok)
        kind_line, label_line = line_of(source, "kind: txt"), line_of(source, "lable:")
        self.assertTrue(
            result.errors[0].startswith(
                f'peer-2027.yaml:{kind_line}: sections[1].blocks[1].kind: unknown kind "txt"'
            )
        )
        self.assertIn(
            f'peer-2027.yaml:{label_line}: sections[1].blocks[2].lable: unknown attribute "lable" '
            '(did you mean "label"?)',
            result.errors,
        )
        self.assertEqual(self.clone.versions.count(), 1)

    def test_changing_the_slug_is_refused(self):
        result = self.save(self.v1.source.replace("slug: peer-2027", "slug: peer-2028"))

        self.assertEqual(
            result.errors,
            (
                "peer-2027.yaml: slug: keep `slug: peer-2027`; the slug names this template "
                "(clone it to make a template under another name)",
            ),
        )

    def test_a_save_based_on_an_older_version_is_refused(self):
        self.save(self.v1.source.replace('"Goal:"', '"Our goal:"'), based_on=1)

        result = self.save(self.v1.source.replace('"Goal:"', '"The goal:"'), based_on=1)

        self.assertFalse(result.ok)
        self.assertIn("Version 2 was saved after the version 1 you were editing", result.errors[0])
        self.assertEqual(self.clone.versions.count(), 2)

    def test_a_shared_template_cannot_be_edited(self):
        aspe = AgreementTemplate.objects.get(slug="aspe-partnership")

        result = save_template_source(template=aspe, source="x", user=self.cora)

        self.assertIn("clone it for your program", result.errors[0])
        self.assertEqual(TemplateVersion.objects.filter(template=aspe).count(), 1)
