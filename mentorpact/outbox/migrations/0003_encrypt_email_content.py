"""An outbox email's subject and bodies encrypted at rest: the columns become tokens, and
existing rows are encrypted in batches (reversible: going back decrypts them)."""

from django.db import migrations

import mentorpact.lib.crypto
from mentorpact.lib import crypto

FIELDS = ["subject", "body", "html"]


def encrypt(apps, schema_editor):
    crypto.encrypt_stored(apps.get_model("outbox", "Email"), FIELDS)


def decrypt(apps, schema_editor):
    crypto.decrypt_stored(apps.get_model("outbox", "Email"), FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0002_email_public_id"),
    ]

    operations = [
        migrations.AlterField(
            model_name="email",
            name="subject",
            field=mentorpact.lib.crypto.EncryptedTextField(max_length=500),
        ),
        migrations.AlterField(
            model_name="email",
            name="body",
            field=mentorpact.lib.crypto.EncryptedTextField(),
        ),
        migrations.AlterField(
            model_name="email",
            name="html",
            field=mentorpact.lib.crypto.EncryptedTextField(blank=True),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]
