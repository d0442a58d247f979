import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase

from mentorpact.agreement_templates.models import AgreementTemplate, TemplateVersion
from mentorpact.agreement_templates.schema import builtin_templates

EXAMPLE = Path(__file__).with_name("example_from_docs.yaml")
SEEDS = sorted(builtin_templates())


class TemplateCommandTestCase(TestCase):
    def setUp(self) -> None:
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def run_command(
        self, *args: str, stdin: bytes | None = None
    ) -> tuple[int | str | None, str, str]:
        out, err = io.StringIO(), io.StringIO()
        saved_stdin = sys.stdin
        if stdin is not None:
            sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        try:
            call_command("template", *args, stdout=out, stderr=err)
            code: int | str | None = 0
        except SystemExit as exit_:
            code = exit_.code
        finally:
            sys.stdin = saved_stdin
        return code, out.getvalue(), err.getvalue()

    def write(self, name: str, content: str | bytes) -> str:
        path = self.folder / name
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return str(path)


class ListTest(TemplateCommandTestCase):
    def test_it_prints_the_five_seed_templates_one_per_line_slug_version_title(self):
        code, out, err = self.run_command("list")

        self.assertEqual((code, err), (0, ""))
        self.assertEqual(
            out.splitlines(),
            [
                "aspe-partnership\t1\tMentoring Partnership Agreement",
                "red-peer-mentoring\t1\tRED Peer Mentoring Agreement",
                "remote-planning\t1\tMentoring Relationship",
                "university-pilot\t1\tMENTORING AGREEMENT",
                "whprms-partnership\t1\tWHPRMS Mentor Partnership Agreement",
            ],
        )

    def test_it_shows_each_templates_latest_version(self):
        self.run_command("import", str(EXAMPLE))
        changed = EXAMPLE.read_text().replace(
            "title: Preceptorship Agreement", "title: Preceptorship"
        )
        self.run_command("import", self.write("v2.yaml", changed))

        _, out, _ = self.run_command("list")

        self.assertIn("nursing-preceptorship\t2\tPreceptorship", out.splitlines())


class ExportTest(TemplateCommandTestCase):
    def test_each_seed_exports_verbatim_and_reimports_unchanged(self):
        for slug in SEEDS:
            with self.subTest(slug):
                code, exported, _ = self.run_command("export", slug)
                self.assertEqual((code, exported), (0, builtin_templates()[slug]))

                code, out, err = self.run_command("import", self.write(f"{slug}.yaml", exported))

                self.assertEqual((code, err), (0, ""))
                self.assertEqual(out, f"{slug}: unchanged (version 1 has this text)\n")
                self.assertEqual(self.run_command("export", slug)[1], exported)
        self.assertEqual(TemplateVersion.objects.count(), len(SEEDS))

    def test_a_template_exported_then_imported_into_an_empty_database_round_trips(self):
        self.run_command("import", str(EXAMPLE))
        _, exported, _ = self.run_command("export", "nursing-preceptorship")
        TemplateVersion.objects.filter(template__slug="nursing-preceptorship").delete()
        AgreementTemplate.objects.filter(slug="nursing-preceptorship").delete()

        code, out, _ = self.run_command("import", self.write("n.yaml", exported))

        self.assertEqual(code, 0)
        self.assertEqual(out, "nursing-preceptorship: imported as a new template (version 1)\n")
        self.assertEqual(
            self.run_command("export", "nursing-preceptorship")[1], EXAMPLE.read_text()
        )

    def test_it_exports_an_older_version_on_request(self):
        self.run_command("import", str(EXAMPLE))
        self.run_command("import", self.write("v2.yaml", EXAMPLE.read_text() + "# v2\n"))

        self.assertEqual(
            self.run_command("export", "nursing-preceptorship", "--version", "1")[1],
            EXAMPLE.read_text(),
        )

    def test_an_unknown_name_or_version_exits_1_with_a_message(self):
        self.assertEqual(
            self.run_command("export", "nope"),
            (1, "", 'No template named "nope". `manage.py template list` shows them.\n'),
        )
        self.assertEqual(
            self.run_command("export", "aspe-partnership", "--version", "9"),
            (1, "", "aspe-partnership has no version 9.\n"),
        )


class ValidateTest(TemplateCommandTestCase):
    def test_a_valid_file_exits_0(self):
        code, out, err = self.run_command("validate", str(EXAMPLE))

        self.assertEqual((code, err), (0, ""))
        self.assertEqual(
            out, f"{EXAMPLE}: valid (nursing-preceptorship: Preceptorship Agreement, 12 fields)\n"
        )

    def test_an_invalid_file_exits_1_with_every_error_on_stderr(self):
        source = (
            EXAMPLE.read_text()
            .replace("kind: number", "kind: numbr")
            .replace("label: Ward", "lable: Ward")
        )
        path = self.write("bad.yaml", source)

        code, out, err = self.run_command("validate", path)

        self.assertEqual((code, out), (1, ""))
        self.assertEqual(
            err.splitlines(),
            [
                f'{path}:40: sections[0].blocks[0].lable: unknown attribute "lable" '
                '(did you mean "label"?)',
                f"{path}:38: sections[0].blocks[0].label: missing (every field needs a label)",
                f'{path}:43: sections[0].blocks[1].kind: unknown kind "numbr" (expected one of: '
                "text, textarea, list, goals, number, counts, choice, multichoice, date, table, "
                "acknowledgement, person)",
                f'{path}:20: rules.duration.months_field: no field "months" (the number or '
                "choice fields are: escalation)",
            ],
        )

    def test_it_reads_standard_input(self):
        code, out, _ = self.run_command("validate", "-", stdin=EXAMPLE.read_bytes())

        self.assertEqual(code, 0)
        self.assertTrue(out.startswith("-: valid"))

    def test_unreadable_files_are_a_clear_message_and_exit_1(self):
        cases = [
            (str(self.folder / "missing.yaml"), "no such file"),
            (str(self.folder), "is a directory, not a template file"),
            (
                self.write("latin1.yaml", "title: Caf\xe9\n".encode("latin-1")),
                "1: the file is not UTF-8 text (byte 0xe9 at position 10); save it as UTF-8",
            ),
            (self.write("empty.yaml", ""), "the template is empty"),
            (self.write("binary.yaml", bytes(range(256)) * 4), "the file is not UTF-8 text"),
            (self.write("tabs.yaml", "format: 1\nsections:\n\t- key: a\n"), "use spaces"),
        ]
        for path, message in cases:
            with self.subTest(message):
                code, out, err = self.run_command("validate", path)
                self.assertEqual((code, out), (1, ""))
                self.assertIn(message, err)
                self.assertTrue(err.startswith(path))


class ImportTest(TemplateCommandTestCase):
    def test_a_new_template_then_an_unchanged_one_then_a_new_version(self):
        self.assertEqual(
            self.run_command("import", str(EXAMPLE))[1],
            "nursing-preceptorship: imported as a new template (version 1)\n",
        )
        self.assertEqual(
            self.run_command("import", str(EXAMPLE))[1],
            "nursing-preceptorship: unchanged (version 1 has this text)\n",
        )
        path = self.write("v2.yaml", EXAMPLE.read_text() + "# revised\n")
        self.assertEqual(
            self.run_command("import", path),
            (0, "nursing-preceptorship: imported as version 2\n", ""),
        )

    def test_an_error_exits_1_and_changes_nothing(self):
        self.run_command("import", str(EXAMPLE))
        before = list(TemplateVersion.objects.values_list("pk", "source"))
        bad = EXAMPLE.read_text().replace("distribution: program", "distribution: everyone")

        code, out, err = self.run_command("import", self.write("bad.yaml", bad))

        self.assertEqual((code, out), (1, ""))
        self.assertIn('rules.distribution: unknown distribution "everyone"', err)
        self.assertEqual(list(TemplateVersion.objects.values_list("pk", "source")), before)

    def test_changing_a_built_in_is_refused(self):
        source = builtin_templates()["red-peer-mentoring"].replace("Mentee Name:", "Your name:")

        code, _, err = self.run_command("import", self.write("red.yaml", source))

        self.assertEqual(code, 1)
        self.assertIn('"red-peer-mentoring" is a built-in template', err)
        self.assertEqual(
            TemplateVersion.objects.filter(template__slug="red-peer-mentoring").count(), 1
        )


class RealProcessTest(TestCase):
    def test_manage_py_exits_1_with_the_message_and_no_traceback(self):
        with tempfile.NamedTemporaryFile("wb", suffix=".yaml") as bad:
            bad.write(b"format: 1\nslug: x\n\xff\xfe")
            bad.flush()
            env = {**os.environ, "DEBUG": "true"}
            done = subprocess.run(
                [sys.executable, "manage.py", "template", "validate", bad.name],
                cwd=settings.BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
        self.assertEqual(done.returncode, 1)
        self.assertNotIn("Traceback", done.stderr)
        self.assertIn(f"{bad.name}:3: the file is not UTF-8 text", done.stderr)
