from django.core.exceptions import ValidationError

from mentorpact.agreement_templates.models import AgreementTemplate, TemplateAction
from mentorpact.agreement_templates.schema import builtin_templates, load_template
from mentorpact.agreement_templates.services import clone_template, with_slug_and_title
from mentorpact.test import BaseTestCase, events_of


class CloneTemplateTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.aspe = AgreementTemplate.objects.get(slug="aspe-partnership")

    def clone(self, slug="peer-2027", title="Peer Mentoring Agreement 2027"):
        return clone_template(
            template=self.aspe, slug=slug, title=title, user=self.cora, program=self.program
        )

    def test_the_clone_belongs_to_the_program_and_keeps_the_text_under_its_new_name(self):
        clone = self.clone()

        clone.refresh_from_db()
        self.assertEqual((clone.slug, clone.title), ("peer-2027", "Peer Mentoring Agreement 2027"))
        self.assertEqual(clone.owner_program, self.program)
        self.assertFalse(clone.is_builtin)
        version = clone.latest_version()
        self.assertEqual(version.number, 1)
        self.assertEqual(version.created_by, self.cora)
        loaded = load_template(version.source)
        original = load_template(builtin_templates()["aspe-partnership"])
        self.assertEqual(loaded.sections, original.sections)
        self.assertEqual(loaded.rules, original.rules)
        # The comments at the top of the file survive the rename.
        self.assertTrue(version.source.startswith("# ASPE Mentoring Partnership Agreement"))
        self.assertIn('\ntitle: "Peer Mentoring Agreement 2027"\n', version.source)

    def test_it_records_who_cloned_what(self):
        clone = self.clone()

        events = list(events_of(clone).values_list("action", "program_id", "actor", "details"))
        self.assertEqual(
            events,
            [
                (
                    TemplateAction.CREATED,
                    None,
                    self.cora.pk,
                    {"version_id": clone.latest_version().pk, "version_number": 1},
                ),
                (
                    TemplateAction.CLONED,
                    self.program.pk,
                    self.cora.pk,
                    {
                        "source": "aspe-partnership",
                        "source_version": 1,
                        "version_id": clone.latest_version().pk,
                        "version_number": 1,
                    },
                ),
            ],
        )

    def test_a_taken_or_malformed_slug_and_an_empty_title_are_refused_beside_their_fields(self):
        self.clone()
        for slug, title, expected in [
            ("peer-2027", "T", {"slug": ["peer-2027 is taken: choose another name."]}),
            (
                "red-peer-mentoring",
                "T",
                {"slug": ["red-peer-mentoring is taken: choose another name."]},
            ),
            (
                "Peer 2027",
                "T",
                {
                    "slug": [
                        "Use lowercase letters, digits and single hyphens (at most 60), "
                        "like rsp-2027."
                    ]
                },
            ),
            (
                "",
                "  ",
                {
                    "slug": ["Enter a short name for the new template, like rsp-2027."],
                    "title": ["Enter the form's title."],
                },
            ),
        ]:
            with self.subTest(slug), self.assertRaises(ValidationError) as refused:
                self.clone(slug, title)
            self.assertEqual(refused.exception.message_dict, expected)
        self.assertEqual(AgreementTemplate.objects.filter(owner_program=self.program).count(), 1)


class WithSlugAndTitleTest(BaseTestCase):
    def test_a_multi_line_title_is_replaced_whole(self):
        source = (
            "format: 1\nslug: a\ntitle: >-\n  A long\n  title\n\n# keep me\n"
            "signers: [mentor, mentee]\nrules: {distribution: pair}\n"
            "sections:\n  - key: s\n    blocks: [{text: Hi}]\n"
        )

        out = with_slug_and_title(source, slug="b", title='Quote " and colon: yes')

        self.assertEqual(load_template(out).title, 'Quote " and colon: yes')
        self.assertEqual(load_template(out).slug, "b")
        self.assertIn("\n\n# keep me\n", out)

    def test_a_flow_style_template_is_written_out_again(self):
        source = (
            "{format: 1, slug: a, title: A, signers: [mentor, mentee], "
            "rules: {distribution: pair}, sections: [{key: s, blocks: [{text: Hi}]}]}"
        )

        out = with_slug_and_title(source, slug="b", title="B")

        loaded = load_template(out)
        self.assertEqual(
            (loaded.slug, loaded.title, loaded.sections[0].blocks[0].text), ("b", "B", "Hi")
        )
