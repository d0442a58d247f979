"""Check a PDF: exit 0 and "intact" for an untouched agreement sealed by this installation,
exit 1 with the reason for anything else (modified, unsigned, sealed elsewhere, not a PDF)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mentorpact.agreements import selectors


class Command(BaseCommand):
    help = "Verify that a signed agreement PDF is intact and sealed by this installation."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the PDF to check")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"not verified: cannot read {path}: {error.strerror}") from None
        checked = selectors.check_pdf(data)
        result = checked.verification
        identity = result.identity
        if not result.intact or identity is None:  # an intact seal names an identity
            raise CommandError(f"not intact: {result.reason}")
        self.stdout.write(f"intact: {result.reason}")
        self.stdout.write(f"  partnership      {identity.partnership}")
        self.stdout.write(f"  agreement        {identity.agreement}")
        self.stdout.write(f"  version          {identity.version}")
        self.stdout.write(f"  content SHA-256  {identity.content_sha256}")
        if result.sealed_at:
            self.stdout.write(f"  sealed at        {result.sealed_at:%Y-%m-%d %H:%M:%S %Z}")
        if checked.version is not None:
            partnership = checked.version.agreement.partnership
            self.stdout.write(
                f"  between          {partnership.mentor.full_name} (mentor) and "
                f"{partnership.mentee.full_name} (mentee); version {identity.version} is "
                f"{checked.version.get_status_display().lower()}"
            )
