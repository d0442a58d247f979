"""Signers beyond the pair (issue 10 item 5): `InvitedSigner`, and a signature's role may be
the key of one of the template's extra signers ("guardian"), not only mentor, mentee or
coordinator (the check constraint changes from a list of three to "named").

SQLite rebuilds the signature table to change its constraint, which drops its triggers
(0007): they are created again here, so a signature stays append-only. PostgreSQL alters the
constraint in place and keeps its triggers.
"""

import importlib
import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

_append_only = importlib.import_module(
    "mentorpact.agreements.migrations.0007_signed_records_are_append_only"
)


def triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    # The tables that were not rebuilt kept theirs: drop every one, then create them all.
    for _table, name, _operation, _refused, _message in _append_only._rules("", ""):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    _append_only.create_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0007_signed_records_are_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Back to 0007: the constraint's rebuild drops the triggers again, so the first step
    # (the last undone) creates them again.
    operations = [
        migrations.RunPython(migrations.RunPython.noop, triggers_again, elidable=False),
        migrations.CreateModel(
            name="InvitedSigner",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("role", models.CharField(max_length=20)),
                ("name", models.CharField(max_length=150)),
                ("email", models.EmailField(max_length=254)),
                ("named_at", models.DateTimeField(auto_now_add=True)),
                ("link_version", models.PositiveIntegerField(default=1)),
            ],
            options={
                "ordering": ["agreement", "role"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="signature",
            name="signature_role_valid",
        ),
        migrations.AlterField(
            model_name="signature",
            name="role",
            field=models.CharField(max_length=20),
        ),
        migrations.AddConstraint(
            model_name="signature",
            constraint=models.CheckConstraint(
                condition=models.Q(("role", ""), _negated=True), name="signature_role_named"
            ),
        ),
        migrations.AddField(
            model_name="invitedsigner",
            name="agreement",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="invited",
                to="agreements.agreement",
            ),
        ),
        migrations.AddField(
            model_name="invitedsigner",
            name="named_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="invitedsigner",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="invitedsigner",
            constraint=models.UniqueConstraint(
                fields=("agreement", "role"), name="invited_one_per_role"
            ),
        ),
        migrations.RunPython(triggers_again, migrations.RunPython.noop, elidable=False),
    ]
