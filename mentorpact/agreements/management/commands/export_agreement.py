"""Write a partnership's agreement as a PDF: the version in effect (sealed), or else the
latest draft (marked DRAFT on every page); or any version, named by --agreement and
--version-number."""

import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mentorpact.agreements import selectors, services
from mentorpact.partnerships.models import Partnership


class Command(BaseCommand):
    help = "Export a partnership's agreement in effect (or its latest draft) as a PDF."

    def add_arguments(self, parser):
        parser.add_argument("partnership", help="the partnership's code (its UUID)")
        parser.add_argument("--out", required=True, help="where to write the PDF")
        parser.add_argument(
            "--agreement", type=int, help="which of the partnership's agreements (1, 2, ...)"
        )
        parser.add_argument(
            "--version-number", type=int, help="which version of that agreement (1, 2, ...)"
        )

    def handle(self, *args, **options):
        try:
            code = uuid.UUID(options["partnership"])
        except ValueError:
            raise CommandError(f"{options['partnership']!r} is not a partnership code.") from None
        partnership = Partnership.objects.filter(public_id=code).first()
        if partnership is None:
            raise CommandError(f"No partnership {code}.")
        if options["agreement"] or options["version_number"]:
            version = selectors.version_of(
                partnership, options["agreement"] or 1, options["version_number"] or 1
            )
            if version is None:
                raise CommandError(f"Partnership {code} has no such agreement version.")
        else:
            # A continuation being drafted does not replace the agreement still in effect.
            agreement = selectors.latest_agreement(partnership)
            version = selectors.partnership_in_effect(partnership) or (
                selectors.export_version(agreement) if agreement else None
            )
        if version is None:
            raise CommandError(f"Partnership {code} has no agreement yet.")
        data = services.version_pdf(version=version)
        out = Path(options["out"])
        try:
            out.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}") from None
        services.record_pdf_download(version=version, user=None, via="export_agreement")
        state = "signed and sealed" if version.is_signed else "draft, not signed"
        self.stdout.write(
            f"Wrote {out} (agreement {version.agreement.number}, version {version.number}, "
            f"{state}, {len(data):,} bytes)"
        )
