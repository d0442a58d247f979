"""System checks for the encryption keys of notes and feedback (stable ids meetings.E00x)."""

import binascii
from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def check_notes_encryption_keys(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
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
    problems: list[CheckMessage] = []
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


SAMPLE = 20  # stored texts tried per encrypted column


@register(deploy=True)
def check_stored_text_decrypts(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """At deploy (`check --deploy`): the newest stored texts of every encrypted column open with
    the configured keys. A key dropped before `rotate_notes_key` ran shows here, not as
    "cannot be decrypted" on people's pages."""
    from django.db import DatabaseError

    from mentorpact.lib import crypto

    if not settings.NOTES_ENCRYPTION_KEYS:
        return []  # meetings.E001 already says so
    problems: list[CheckMessage] = []
    for model, column in crypto.encrypted_columns():
        try:
            tokens = [
                token
                for _, token in crypto.raw_tokens(
                    model._default_manager.exclude(**{column: ""}).order_by("-pk"), column
                )[:SAMPLE]
            ]
        except DatabaseError:
            return []  # no tables yet (before the first migrate): nothing stored to check
        unreadable = 0
        for token in tokens:
            try:
                crypto.decrypt(token)
            except crypto.UnreadableText:
                unreadable += 1
        if unreadable:
            problems.append(
                Error(
                    f"{unreadable} of the {len(tokens)} newest {model.__name__}.{column} values "
                    "cannot be decrypted with NOTES_ENCRYPTION_KEYS.",
                    hint="Put the key they were written with back in NOTES_ENCRYPTION_KEYS "
                    "(after the current one) and run `manage.py rotate_notes_key`.",
                    id="meetings.E003",
                )
            )
    return problems
