"""Agreement content encrypted at rest, step 1 of 3: the token columns beside the plain ones.

The signed-version triggers of 0002 are dropped here (0006 creates their successors, which
compare the token instead of the plain content); 0005 encrypts every row, 0006 drops the
plain JSON columns. Three migrations, so PostgreSQL never alters a table it has updated rows
of in the same transaction.
"""

import importlib

from django.db import migrations, models

final = importlib.import_module("mentorpact.agreements.migrations.0002_signed_versions_are_final")


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_delete_agreementevent")]

    operations = [
        migrations.RunPython(
            final._run({"sqlite": final.SQLITE_REVERSE, "postgresql": final.POSTGRESQL_REVERSE}),
            final._run({"sqlite": final.SQLITE_FORWARD, "postgresql": final.POSTGRESQL_FORWARD}),
        ),
        migrations.AddField(
            model_name="agreementversion",
            name="content_token",
            field=models.TextField(blank=True, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="agreementversion",
            name="key_rotated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="agreementrevision",
            name="content_token",
            field=models.TextField(blank=True, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="agreementrevision",
            name="key_rotated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
