"""Agreement content encrypted at rest, step 2 of 3: every version's and revision's content
encrypted into its token column (with NOTES_ENCRYPTION_KEYS' first key), in batches.
Reversible: going back decrypts the tokens into the plain columns again.

The content hashes are not touched: they are over the canonical plaintext, which this does
not change.
"""

import json

from django.db import migrations

from mentorpact.lib import crypto

BATCH = 500


def _each_batch(model):
    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def encrypt(apps, schema_editor):
    for name in ("AgreementVersion", "AgreementRevision"):
        model = apps.get_model("agreements", name)
        for rows in _each_batch(model):
            for row in rows:
                row.content_token = crypto.encrypt_json(row.content)
            model.objects.bulk_update(rows, ["content_token"])


def decrypt(apps, schema_editor):
    for name in ("AgreementVersion", "AgreementRevision"):
        model = apps.get_model("agreements", name)
        for rows in _each_batch(model):
            for row in rows:
                text = crypto.decrypt(row.content_token)
                row.content = json.loads(text) if text else {}
            model.objects.bulk_update(rows, ["content"])


class Migration(migrations.Migration):
    dependencies = [("agreements", "0004_content_token")]

    operations = [migrations.RunPython(encrypt, decrypt)]
