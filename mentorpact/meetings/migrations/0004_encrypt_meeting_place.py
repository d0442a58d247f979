"""A meeting's place (or link) encrypted at rest: the column becomes a token, and existing
places are encrypted in batches (reversible: going back decrypts them)."""

from django.db import migrations

import mentorpact.lib.crypto
from mentorpact.lib import crypto


def encrypt(apps, schema_editor):
    crypto.encrypt_stored(apps.get_model("meetings", "Meeting"), ["place"])


def decrypt(apps, schema_editor):
    crypto.decrypt_stored(apps.get_model("meetings", "Meeting"), ["place"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_delete_meetingevent"),
    ]

    operations = [
        migrations.AlterField(
            model_name="meeting",
            name="place",
            field=mentorpact.lib.crypto.EncryptedTextField(
                blank=True, max_length=500, verbose_name="place or link"
            ),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]
