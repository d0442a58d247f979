"""`manage.py template list | export NAME | validate FILE | import FILE`: the contract other
tools rely on (docs/templates.md, "The command line").

- list: one line per template, tab-separated: slug, latest version number, title.
- export NAME [--version N]: the stored source, verbatim (so export then import changes nothing).
- validate FILE: exit 0 when valid; exit 1 with every problem on stderr.
- import FILE: add the template, or its next version; exit 1, with nothing changed, on error.

FILE may be "-" for standard input. A bad, missing or non-UTF-8 file is a clear message and
exit status 1, never a traceback.
"""

import sys

from django.core.management.base import BaseCommand, CommandParser

from mentorpact.agreement_templates import services
from mentorpact.agreement_templates.models import AgreementTemplate, TemplateVersion
from mentorpact.agreement_templates.schema import TemplateError, load_template


class Failed(Exception):
    """Stop with these messages on stderr and exit status 1."""

    def __init__(self, *messages: str):
        self.messages = messages


class Command(BaseCommand):
    help = "List, export, validate and import agreement templates (docs/templates.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("list", help="one line per template: slug, version, title")
        export = actions.add_parser("export", help="print a template's source")
        export.add_argument("name", metavar="NAME", help="the template's slug")
        export.add_argument("--version", type=int, help="this version (default: the latest)")
        validate = actions.add_parser("validate", help="check a template file")
        validate.add_argument("file", metavar="FILE", help='a YAML file, or "-" for stdin')
        import_ = actions.add_parser("import", help="add a template, or a new version of it")
        import_.add_argument("file", metavar="FILE", help='a YAML file, or "-" for stdin')

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, f"do_{action}")(**options)
        except Failed as failure:
            for message in failure.messages:
                self.stderr.write(message)
            sys.exit(1)

    def do_list(self, **options) -> None:
        for template in AgreementTemplate.objects.order_by("slug"):
            latest = template.latest_version()
            if latest is not None:
                self.stdout.write(f"{template.slug}\t{latest.number}\t{latest.as_template().title}")

    def do_export(self, *, name: str, version: int | None, **options) -> None:
        versions = TemplateVersion.objects.filter(template__slug=name).order_by("-number")
        if version is not None:
            versions = versions.filter(number=version)
        found = versions.first()
        if found is None:
            if AgreementTemplate.objects.filter(slug=name).exists():
                raise Failed(f"{name} has no version {version}.")
            raise Failed(f'No template named "{name}". `manage.py template list` shows them.')
        self.stdout.write(found.source, ending="")

    def do_validate(self, *, file: str, **options) -> None:
        source = self.read(file)
        try:
            template = load_template(source, filename=file)
        except TemplateError as error:
            raise Failed(*error.errors) from None
        fields = len(template.fields())
        self.stdout.write(f"{file}: valid ({template.slug}: {template.title}, {fields} fields)")

    def do_import(self, *, file: str, **options) -> None:
        source = self.read(file)
        latest_before = (
            TemplateVersion.objects.filter(source_sha256=services.sha256(source))
            .values_list("pk", flat=True)
            .first()
        )
        try:
            version = services.import_template(source=source, filename=file)
        except TemplateError as error:
            raise Failed(*error.errors) from None
        slug = version.template.slug
        if version.pk == latest_before:
            self.stdout.write(f"{slug}: unchanged (version {version.number} has this text)")
        elif version.number == 1:
            self.stdout.write(f"{slug}: imported as a new template (version 1)")
        else:
            self.stdout.write(f"{slug}: imported as version {version.number}")

    def read(self, file: str) -> str:
        try:
            data = sys.stdin.buffer.read() if file == "-" else open(file, "rb").read()  # noqa: SIM115
        except FileNotFoundError:
            raise Failed(f"{file}: no such file") from None
        except IsADirectoryError:
            raise Failed(f"{file}: is a directory, not a template file") from None
        except OSError as error:
            raise Failed(f"{file}: cannot be read ({error.strerror or error})") from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise Failed(
                f"{file}:{line}: the file is not UTF-8 text (byte 0x{data[error.start]:02x} "
                f"at position {error.start}); save it as UTF-8"
            ) from None
