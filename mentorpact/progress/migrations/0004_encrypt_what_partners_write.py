"""What partners write after signing encrypted at rest: plan items (goal, measure, steps,
progress), commitments, midpoint reviews (answers with comments, overall, change note),
closing reviews (outcomes with evidence, learning) and thank-you notes. The columns become
tokens (text columns; the two JSON columns hold the token of their JSON), then existing rows
are encrypted in batches. Reversible: going back decrypts them first.
"""

from django.db import migrations

import mentorpact.lib.crypto
from mentorpact.lib import crypto

COLUMNS = {
    "PlanItem": ["goal", "measure", "action_steps", "progress_note"],
    "Commitment": ["opportunity", "venue"],
    "MidpointReview": ["answers", "overall", "change_note"],
    "ClosingReview": ["outcomes", "mentor_learning", "mentee_learning"],
    "ThankYouNote": ["subject", "body"],
}


def encrypt(apps, schema_editor):
    for name, columns in COLUMNS.items():
        crypto.encrypt_stored(apps.get_model("progress", name), columns)


def decrypt(apps, schema_editor):
    for name, columns in COLUMNS.items():
        crypto.decrypt_stored(apps.get_model("progress", name), columns)


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0003_reminder_pending_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="closingreview",
            name="mentee_learning",
            field=mentorpact.lib.crypto.EncryptedTextField(
                blank=True, verbose_name="the mentee's learning conclusion"
            ),
        ),
        migrations.AlterField(
            model_name="closingreview",
            name="mentor_learning",
            field=mentorpact.lib.crypto.EncryptedTextField(
                blank=True, verbose_name="the mentor's learning conclusion"
            ),
        ),
        migrations.AlterField(
            model_name="closingreview",
            name="outcomes",
            field=mentorpact.lib.crypto.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="opportunity",
            field=mentorpact.lib.crypto.EncryptedTextField(),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="venue",
            field=mentorpact.lib.crypto.EncryptedTextField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="midpointreview",
            name="answers",
            field=mentorpact.lib.crypto.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="midpointreview",
            name="change_note",
            field=mentorpact.lib.crypto.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="midpointreview",
            name="overall",
            field=mentorpact.lib.crypto.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="planitem",
            name="action_steps",
            field=mentorpact.lib.crypto.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="planitem",
            name="goal",
            field=mentorpact.lib.crypto.EncryptedTextField(),
        ),
        migrations.AlterField(
            model_name="planitem",
            name="measure",
            field=mentorpact.lib.crypto.EncryptedTextField(
                blank=True, verbose_name="how success is measured"
            ),
        ),
        migrations.AlterField(
            model_name="planitem",
            name="progress_note",
            field=mentorpact.lib.crypto.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="thankyounote",
            name="body",
            field=mentorpact.lib.crypto.EncryptedTextField(),
        ),
        migrations.AlterField(
            model_name="thankyounote",
            name="subject",
            field=mentorpact.lib.crypto.EncryptedTextField(max_length=200),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]
