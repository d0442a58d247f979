"""Files kept encrypted at rest in Django's default storage: sealed agreement PDFs and the
outbox's attachments (a signed agreement's text, a calendar file naming the meeting's place).

A stored file holds the Fernet token of its bytes (lib.crypto, the keys of
NOTES_ENCRYPTION_KEYS), never the bytes. `read` returns the plain bytes; a file stored before
files were encrypted (it does not begin as a Fernet token does, b"gAAAAA": a PDF begins with
"%PDF", a calendar file with "BEGIN:") is read as it is, and `rewrite` encrypts it in place.

`rewrite` also moves a file to the current key, for `manage.py rotate_notes_key`. Names never
change (a signed version's row names its file, and the database keeps that row final), so a
file is replaced in place: the new token is written beside it under NEXT_SUFFIX and read back
first; on a local disk it then takes the name with one atomic rename, elsewhere (an object
store) the old object is deleted and the new one saved under the name. A crash in between
leaves the NEXT_SUFFIX copy, which `read` falls back to and the next rewrite completes.
"""

import os

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from mentorpact.lib import crypto

FERNET_PREFIX = b"gAAAAA"  # a Fernet token's version byte 0x80 and timestamp, in base64
NEXT_SUFFIX = ".next"


def save(name: str, data: bytes) -> str:
    """Store `data` encrypted under `name` (or the free name the storage picks); returns it."""
    return default_storage.save(name, ContentFile(crypto.encrypt_bytes(data)))


def read(name: str) -> bytes:
    """The plain bytes of a stored file. OSError when it is missing; crypto.UnreadableText
    when no configured key opens it."""
    try:
        raw = _raw(name)
    except OSError:
        if not default_storage.exists(name + NEXT_SUFFIX):
            raise
        raw = _raw(name + NEXT_SUFFIX)  # a rewrite stopped between its two steps
    return crypto.decrypt_bytes(raw) if is_encrypted(raw) else raw


def is_encrypted(raw: bytes) -> bool:
    return raw.startswith(FERNET_PREFIX)


def delete(name: str) -> None:
    default_storage.delete(name)
    default_storage.delete(name + NEXT_SUFFIX)


def rewrite(name: str) -> bool:
    """Store `name` encrypted under the current key; False when it already was (or is gone)."""
    following = name + NEXT_SUFFIX
    try:
        raw: bytes | None = _raw(name)
    except OSError:
        if not default_storage.exists(following):
            return False
        raw = None  # the old copy was deleted: finish with the new one below
    if raw is not None:
        if is_encrypted(raw) and crypto.uses_current_key(raw.decode("ascii")):
            return False
        token = (
            crypto.rotate(raw.decode("ascii")).encode("ascii")
            if is_encrypted(raw)
            else crypto.encrypt_bytes(raw)
        )
        default_storage.delete(following)
        if default_storage.save(following, ContentFile(token)) != following:
            raise OSError(f"The storage would not keep the name {following}.")
    token = _raw(following)
    crypto.decrypt_bytes(token)  # it reads back before it replaces anything
    local = _on_disk(following)
    if local:
        os.replace(local, default_storage.path(name))
        return True
    default_storage.delete(name)
    if default_storage.save(name, ContentFile(token)) != name:
        raise OSError(f"The storage would not keep the name {name}.")
    default_storage.delete(following)
    return True


def _raw(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def _on_disk(name: str) -> str | None:
    """The file's path when the storage keeps it on this machine's disk (not an object store,
    nor InMemoryStorage, whose paths name nothing on disk)."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        return None
    return path if os.path.isfile(path) else None
