"""System checks for the sealing key and certificate (stable ids agreements.E00x)."""

from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def check_sealing_credentials(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    key, cert = settings.AGREEMENT_SIGNING_KEY, settings.AGREEMENT_SIGNING_CERT
    if not key and not cert:
        if settings.SEALING_KEY_ON_FIRST_USE:  # DEBUG on at start-up
            return []  # created on first use under MEDIA_ROOT/sealing/
        return [
            Error(
                "AGREEMENT_SIGNING_KEY and AGREEMENT_SIGNING_CERT are not set: each machine "
                "would seal agreement PDFs with a key of its own, made on first use.",
                hint="Create them once with `manage.py create_sealing_key KEY.pem CERT.pem`, "
                "give every machine the same two files and set both variables to their paths.",
                id="agreements.E001",
            )
        ]
    if not key or not cert:
        return [
            Error(
                "Set both AGREEMENT_SIGNING_KEY and AGREEMENT_SIGNING_CERT, or neither.",
                id="agreements.E002",
            )
        ]
    problems: list[CheckMessage] = []
    for name, path, load in (
        ("AGREEMENT_SIGNING_KEY", key, _load_key),
        ("AGREEMENT_SIGNING_CERT", cert, x509.load_pem_x509_certificate),
    ):
        try:
            load(Path(path).read_bytes())
        except (OSError, ValueError, TypeError) as error:
            problems.append(
                Error(
                    f"{name} ({path}) cannot be read as an unencrypted PEM file: {error}",
                    id="agreements.E003",
                )
            )
    return problems


def _load_key(data: bytes) -> object:
    return serialization.load_pem_private_key(data, password=None)
