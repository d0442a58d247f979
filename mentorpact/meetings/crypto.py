"""Encryption at rest for what partners write: notes, feedback answers, agendas and topics.

Each such column holds a Fernet token (AES-128-CBC with HMAC-SHA256), never the text. The keys
come from NOTES_ENCRYPTION_KEYS (comma-separated Fernet keys; the first encrypts, every one
decrypts), so a key is rotated by putting a new key first, running `manage.py
rotate_notes_key`, and then dropping the old key. With DEBUG on and no keys set, settings.py
derives one from SECRET_KEY so development needs no setup; with DEBUG off the system check
meetings.E001 refuses to start without keys.

A model declares an encrypted attribute with `EncryptedText("column")`: reading it decrypts the
column, assigning to it encrypts into the column. Encrypted columns cannot be searched or
filtered by their text (each encryption of the same text differs).
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class UnreadableText(Exception):
    """A token that none of the configured keys opens: a key was dropped too early."""


def configured_keys() -> list[str]:
    return list(settings.NOTES_ENCRYPTION_KEYS)


@lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    if not keys:
        raise ImproperlyConfigured(
            "NOTES_ENCRYPTION_KEYS is not set: notes cannot be encrypted (see README.md)."
        )
    fernets = [Fernet(key.encode()) for key in keys]
    return MultiFernet(fernets), fernets[0]


def _multi() -> MultiFernet:
    return _fernets(tuple(configured_keys()))[0]


def encrypt(text: str) -> str:
    """The token for `text`; '' stays '' (an empty note has nothing to hide)."""
    if not text:
        return ""
    return _multi().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _multi().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise UnreadableText(
            "Stored text cannot be decrypted with the configured NOTES_ENCRYPTION_KEYS: "
            "was a key removed before `manage.py rotate_notes_key` ran?"
        ) from None


def uses_current_key(token: str) -> bool:
    if not token:
        return True
    current = _fernets(tuple(configured_keys()))[1]
    try:
        current.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def rotate(token: str) -> str:
    """The same text under the current key (MultiFernet.rotate keeps the original timestamp)."""
    try:
        return _multi().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise UnreadableText(
            "A stored token cannot be decrypted with any configured key."
        ) from None


class Unreadable(str):
    """What an EncryptedText attribute reads as when no configured key opens its token: a
    plain sentence for the page, instead of a 500. Assigning it back keeps the stored token, so
    the text can still be recovered once the missing key is configured again."""

    unreadable = True

    def __new__(cls) -> "Unreadable":
        return super().__new__(
            cls, "[This text cannot be decrypted with this installation's keys.]"
        )


class EncryptedText(property):
    """A model attribute stored encrypted in the text column `column`."""

    def __init__(self, column: str):
        self.column = column
        super().__init__(self._get, self._set)

    def _get(self, instance) -> str:
        try:
            return decrypt(getattr(instance, self.column))
        except UnreadableText:
            return Unreadable()

    def _set(self, instance, value: str) -> None:
        if isinstance(value, Unreadable):
            return  # never overwrite a token we could not read
        setattr(instance, self.column, encrypt(value or ""))


def is_unreadable(text: str) -> bool:
    return isinstance(text, Unreadable)


def encrypted_columns() -> list[tuple[type[models.Model], str]]:
    """(model, column) for every EncryptedText attribute of every installed model."""
    return [
        (model, attribute.column)
        for model in apps.get_models()
        for attribute in vars(model).values()
        if isinstance(attribute, EncryptedText)
    ]
