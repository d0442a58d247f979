"""System checks for the encryption keys of notes and feedback (stable ids meetings.E00x)."""

import binascii

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, register


@register()
def check_notes_encryption_keys(app_configs, **kwargs):
    keys = list(settings.NOTES_ENCRYPTION_KEYS)
    if not keys and not settings.DEBUG:
        return [
            Error(
                "NOTES_ENCRYPTION_KEYS is not set: notes and feedback cannot be stored.",
                hint='Generate a key with `python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"` and set NOTES_ENCRYPTION_KEYS to it.',
                id="meetings.E001",
            )
        ]
    problems = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, binascii.Error):
            problems.append(
                Error(
                    f"Key {position} of NOTES_ENCRYPTION_KEYS is not a Fernet key "
                    "(32 bytes, URL-safe base64).",
                    id="meetings.E002",
                )
            )
    return problems
