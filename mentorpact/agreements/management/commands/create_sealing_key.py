"""Create the installation's sealing key and self-signed certificate, once, for production:
every machine is then given the same two files (AGREEMENT_SIGNING_KEY, AGREEMENT_SIGNING_CERT)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mentorpact.agreements import sealing


class Command(BaseCommand):
    help = "Create the key and certificate that seal signed agreement PDFs (PEM files)."
    # It makes what check agreements.E001 asks for, so that check must not stop it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("key", help="where to write the private key (kept secret, mode 600)")
        parser.add_argument("cert", help="where to write the certificate")

    def handle(self, *args: Any, **options: Any) -> None:
        key, cert = Path(options["key"]), Path(options["cert"])
        if cert.exists():
            raise CommandError(f"{cert} exists already: nothing written.")
        if not key.parent.is_dir() or not cert.parent.is_dir():
            raise CommandError("The folders of both files must exist.")
        if not sealing.create_credentials(key, cert):
            raise CommandError(f"{key} exists already: nothing written.")
        self.stdout.write(f"Created {key} and {cert}.")
        self.stdout.write(
            f"Set AGREEMENT_SIGNING_KEY={key.resolve()} and "
            f"AGREEMENT_SIGNING_CERT={cert.resolve()} on every machine, and back the key up."
        )
