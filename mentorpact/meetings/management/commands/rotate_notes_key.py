"""Re-encrypt every encrypted text (every EncryptedText / EncryptedJSON of every installed
model: agreement content, notes, feedback answers, agendas, plans, reviews ...) with the
current key: the first of NOTES_ENCRYPTION_KEYS.

To rotate: put the new key first in NOTES_ENCRYPTION_KEYS (keep the old one after it), restart,
run this command, then remove the old key. Running it again changes nothing: a value already
under the current key is skipped. Rows are read in batches by primary key, and each value is
written with a conditional UPDATE naming the token it replaces, so an edit made meanwhile
(already under the current key) is never overwritten. An attribute with a `stamp` column (a
signed agreement version's content) gets the rotation's time in the same UPDATE: the
database triggers let a signed version's token change only that way.

Stored files (sealed PDFs, the outbox's attachments: lib.stored_files) are re-encrypted after
the texts, each replaced in place under its name; a file stored before files were encrypted
is encrypted now.
"""

from django.core.management.base import BaseCommand
from django.db import models
from django.db.models import Value
from django.utils import timezone

from mentorpact import backups
from mentorpact.lib import crypto, stored_files


class Command(BaseCommand):
    help = "Re-encrypt every encrypted text with the first of NOTES_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        rotated = current = 0
        for found in crypto.encrypted_attributes():
            model, column = found.model, found.column
            done, kept = rotate_column(model, column, stamp=found.stamp, batch_size=batch_size)
            rotated += done
            current += kept
            if done:
                self.stdout.write(f"{model._meta.label}.{column}: {done} re-encrypted")
        names = backups.stored_file_names()
        files = sum(stored_files.rewrite(name) for name in names)
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-encrypted {rotated} value(s); {current} already used the current key. "
                f"Re-encrypted {files} of {len(names)} stored file(s)."
            )
        )


def rotate_column(model, column: str, *, stamp: str = "", batch_size: int) -> tuple[int, int]:
    """(values re-encrypted, values already under the current key) for one column. Tokens are
    read and written as stored (crypto.raw_tokens, a Value), so an encrypted field's own
    encryption and decryption stay out of it."""
    rotated = current = 0
    last_pk = 0
    rows = model._default_manager.exclude(**{column: ""})
    while True:
        batch = list(
            crypto.raw_tokens(rows.filter(pk__gt=last_pk).order_by("pk"), column)[:batch_size]
        )
        if not batch:
            return rotated, current
        for pk, token in batch:
            if crypto.uses_current_key(token):
                current += 1
                continue
            changes: dict[str, object] = {
                column: Value(crypto.rotate(token), output_field=models.TextField())
            }
            if stamp:
                changes[stamp] = timezone.now()
            same = crypto.with_token(model._default_manager.filter(pk=pk), column)
            rotated += same.filter(_token=token).update(**changes)
        last_pk = batch[-1][0]
