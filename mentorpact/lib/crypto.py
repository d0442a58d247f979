"""Encryption at rest for every confidential text: what partners write (agreement content,
notes, feedback answers, agendas, plan progress, reviews, thank-you notes, meeting places).

It lives in lib (it knows no app's models) so that every app can declare encrypted
attributes, from agreements up.

Each such column holds a Fernet token (AES-128-CBC with HMAC-SHA256), never the text. The keys
come from NOTES_ENCRYPTION_KEYS (comma-separated Fernet keys; the first encrypts, every one
decrypts), so a key is rotated by putting a new key first, running `manage.py
rotate_notes_key`, and then dropping the old key. With DEBUG on and no keys set, settings.py
derives one from SECRET_KEY so development needs no setup; with DEBUG off the system check
meetings.E001 refuses to start without keys.

A model declares an encrypted attribute with `EncryptedText("column")` (or `EncryptedJSON`
for a JSON value, stored as the token of its serialised JSON): reading it decrypts the column,
assigning to it encrypts into the column, and a model's constructor accepts it as a keyword
(`Model(body="...")`). Encrypted columns cannot be searched or filtered by their text (each
encryption of the same text differs): filter in Python after reading. A decrypted value is
kept on the instance until its column changes, so reading an attribute twice decrypts once;
assign a changed value back rather than mutating what was read.

An attribute may name a `stamp` column (a nullable DateTimeField): key rotation sets it to the
time of the rotation in the same UPDATE that replaces the token. The database triggers that
keep signed agreement versions final allow a token to change only together with its stamp.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast


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


def encrypt_bytes(data: bytes) -> bytes:
    """The token for a file's bytes (a Fernet token, ASCII)."""
    return _multi().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _multi().decrypt(token)
    except InvalidToken:
        raise UnreadableText(
            "A stored file cannot be decrypted with the configured NOTES_ENCRYPTION_KEYS."
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
    token = ""  # the token it stands for (kept by an encrypted field's save)

    def __new__(cls, token: str = "") -> "Unreadable":
        text = super().__new__(
            cls, "[This text cannot be decrypted with this installation's keys.]"
        )
        text.token = token
        return text


class UnreadableContent(dict):
    """What an EncryptedJSON attribute reads as when no configured key opens its token: empty,
    and assigning it back keeps the stored token (as `Unreadable`)."""

    unreadable = True
    token = ""

    @classmethod
    def of(cls, token: str) -> "UnreadableContent":
        content = cls()
        content.token = token
        return content


def decoded(token: str) -> str:
    """The text of a stored token, or `Unreadable` (a sentence for the page, keeping the token)
    when no configured key opens it: the one place every encrypted reader (attributes, fields,
    feedback answers) turns a token back into text, so none of them can raise on a bad key."""
    try:
        return decrypt(token)
    except UnreadableText:
        return Unreadable(token)


def decoded_json(token: str, empty: Callable[[], Any] = dict) -> Any:
    """The JSON value of a stored token (`empty()` for an empty text), or `UnreadableContent`
    when no configured key opens it (through `decoded`)."""
    text = decoded(token)
    if isinstance(text, Unreadable):
        return UnreadableContent.of(token)
    return json.loads(text) if text else empty()


_CACHE = "_decrypted_values"


class EncryptedText(property):
    """A model attribute stored encrypted in the text column `column`."""

    def __init__(self, column: str, *, stamp: str = ""):
        self.column = column
        self.stamp = stamp
        super().__init__(self._get, self._set)

    def _get(self, instance) -> Any:
        token = getattr(instance, self.column)
        cache = instance.__dict__.setdefault(_CACHE, {})
        cached = cache.get(self.column)
        if cached is not None and cached[0] == token:
            return cached[1]
        value = self._read(token)
        cache[self.column] = (token, value)
        return value

    def _set(self, instance, value: Any) -> None:
        if is_unreadable(value):
            return  # never overwrite a token we could not read
        token = self._write(value)
        setattr(instance, self.column, token)
        instance.__dict__.setdefault(_CACHE, {})[self.column] = (token, self._plain(value))

    def _read(self, token: str) -> Any:
        return decoded(token)

    def _write(self, value: Any) -> str:
        return encrypt(value or "")

    def _plain(self, value: Any) -> Any:
        """What reading the attribute back gives for an assigned `value` (no decryption)."""
        return value or ""


class EncryptedJSON(EncryptedText):
    """A JSON value (a dict, for agreement content) stored as the token of its JSON text; an
    empty column reads as {}."""

    def _read(self, token: str) -> Any:
        return decoded_json(token)

    def _write(self, value: Any) -> str:
        return encrypt(dumps(value))

    def _plain(self, value: Any) -> Any:
        text = dumps(value)
        return json.loads(text) if text else {}


def dumps(value: Any) -> str:
    """The JSON text that is encrypted for `value` ('' for an empty value)."""
    if not value:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def encrypt_json(value: Any) -> str:
    """The token an EncryptedJSON column holds for `value` (for a queryset's .update())."""
    return encrypt(dumps(value))


class EncryptedTextField(models.TextField):
    """A text column that holds the token of its value: encrypted on every write (save, create,
    bulk_create, update), decrypted on every read (instances, values(), values_list()). For
    short texts read with their row (plan progress, reviews, a meeting's place); a large value
    read rarely is better an EncryptedText attribute, decrypted only when read. `max_length`
    limits the text, not the column (a token is longer). Filtering on it by its text cannot
    work (every token differs): only `=""` (empty stays empty) is meaningful."""

    @cached_property
    def validators(self) -> list[Any]:
        # A CharField's length check on the text (full_clean), which a TextField lacks.
        limit = [MaxLengthValidator(self.max_length)] if self.max_length else []
        return [*super().validators, *limit]

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return decoded(value)

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, Unreadable):
            return value.token  # never overwrite a token we could not read
        value = super().get_prep_value(value)
        return None if value is None else encrypt(value)


class EncryptedJSONField(models.TextField):
    """A JSON value (a dict) in a text column holding the token of its JSON text; {} when
    empty. Read and written as EncryptedTextField is."""

    # What django-stubs types it as (a dict, not the str of a TextField).
    _pyi_private_set_type: dict[str, Any] | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: dict[str, Any]  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return decoded_json(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, UnreadableContent):
            return value.token
        return None if value is None else encrypt(dumps(value))


def is_unreadable(text: Any) -> bool:
    return isinstance(text, (Unreadable, UnreadableContent))


ENCRYPTED_FIELDS = (EncryptedTextField, EncryptedJSONField)


@dataclass(frozen=True)
class Encrypted:
    """One encrypted column of a model: `column` is the field's name in queries; `stamp` the
    field key rotation sets with it (or ''); `is_field` for an EncryptedTextField or
    EncryptedJSONField (whose ORM values are decrypted: read its tokens with `raw_tokens`)."""

    model: type[models.Model]
    column: str
    stamp: str = ""
    is_field: bool = False


def encrypted_attributes() -> list[Encrypted]:
    """Every encrypted attribute and field of every installed model."""
    found = []
    for model in apps.get_models():
        for attribute in vars(model).values():
            if isinstance(attribute, EncryptedText):
                found.append(Encrypted(model, attribute.column, attribute.stamp))
        for field in model._meta.concrete_fields:
            if isinstance(field, ENCRYPTED_FIELDS):
                found.append(Encrypted(model, field.name, is_field=True))
    return found


def encrypted_columns() -> list[tuple[type[models.Model], str]]:
    """(model, column) for every encrypted attribute and field of every installed model."""
    return [(found.model, found.column) for found in encrypted_attributes()]


def with_token(queryset: models.QuerySet, column: str) -> models.QuerySet:
    """The queryset annotated with `_token`, the column as stored: a Cast to a plain text
    keeps an encrypted field's decryption out of it (filter on it to name a token)."""
    return queryset.annotate(_token=Cast(column, output_field=models.TextField()))


def raw_tokens(queryset: models.QuerySet, column: str) -> models.QuerySet:
    """(pk, token) of each row, as stored."""
    return with_token(queryset, column).values_list("pk", "_token")


def encrypt_stored(model: type[models.Model], columns: list[str], *, batch: int = 500) -> None:
    """For a data migration: replace each non-empty plain value of `columns` (text, or JSON
    text for an EncryptedJSONField) by its token, in batches of one UPDATE per column. Values
    are read and written as stored, so it works on a historical model whose fields are
    already the encrypted ones."""
    _convert_stored(model, columns, batch=batch, convert=_encrypt_plain)


def decrypt_stored(model: type[models.Model], columns: list[str], *, batch: int = 500) -> None:
    """The reverse of encrypt_stored: each token replaced by its plain text (JSON text for a
    JSON field, '{}' when empty, so the column can become a JSON column again)."""
    _convert_stored(model, columns, batch=batch, convert=_decrypt_token)


def _encrypt_plain(raw: str, is_json: bool) -> str | None:
    if not raw:
        return None  # empty stays empty
    if is_json:
        return encrypt(dumps(json.loads(raw)))  # {} becomes '', as the field stores it
    return encrypt(raw)


def _decrypt_token(raw: str, is_json: bool) -> str | None:
    if is_json and raw == "{}":
        return None  # already plain
    text = decrypt(raw)
    if is_json:
        return text or "{}"
    return text if raw else None


def _convert_stored(model: Any, columns: list[str], *, batch: int, convert: Any) -> None:
    text = models.TextField()
    for column in columns:
        is_json = isinstance(model._meta.get_field(column), EncryptedJSONField)
        last = 0
        while True:
            rows = list(
                raw_tokens(model._default_manager.filter(pk__gt=last).order_by("pk"), column)[
                    :batch
                ]
            )
            if not rows:
                break
            last = rows[-1][0]
            converted = [(pk, convert(raw or "", is_json)) for pk, raw in rows]
            changed = [(pk, new) for pk, new in converted if new is not None]
            if changed:
                whens = [
                    models.When(pk=pk, then=models.Value(new, output_field=text))
                    for pk, new in changed
                ]
                model._default_manager.filter(pk__in=[pk for pk, _ in changed]).update(
                    **{column: models.Case(*whens, output_field=text)}
                )
