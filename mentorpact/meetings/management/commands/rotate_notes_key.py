"""Re-encrypt every encrypted text (notes, feedback answers, agendas, topics, reasons) with
the current key: the first of NOTES_ENCRYPTION_KEYS.

To rotate: put the new key first in NOTES_ENCRYPTION_KEYS (keep the old one after it), restart,
run this command, then remove the old key. Running it again changes nothing: a value already
under the current key is skipped. Rows are read in batches by primary key, and each value is
written with a conditional UPDATE naming the token it replaces, so an edit made meanwhile
(already under the current key) is never overwritten.
"""

from django.core.management.base import BaseCommand

from mentorpact.meetings import crypto


class Command(BaseCommand):
    help = "Re-encrypt notes, feedback and agendas with the first of NOTES_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        rotated = current = 0
        for model, column in crypto.encrypted_columns():
            done, kept = rotate_column(model, column, batch_size=batch_size)
            rotated += done
            current += kept
            if done:
                self.stdout.write(f"{model._meta.label}.{column}: {done} re-encrypted")
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-encrypted {rotated} value(s); {current} already used the current key."
            )
        )


def rotate_column(model, column: str, *, batch_size: int) -> tuple[int, int]:
    """(values re-encrypted, values already under the current key) for one column."""
    rotated = current = 0
    last_pk = 0
    while True:
        batch = list(
            model.objects.filter(pk__gt=last_pk)
            .exclude(**{column: ""})
            .order_by("pk")
            .values_list("pk", column)[:batch_size]
        )
        if not batch:
            return rotated, current
        for pk, token in batch:
            if crypto.uses_current_key(token):
                current += 1
                continue
            rotated += model.objects.filter(pk=pk, **{column: token}).update(
                **{column: crypto.rotate(token)}
            )
        last_pk = batch[-1][0]
