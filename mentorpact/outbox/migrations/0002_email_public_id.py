import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    Email = apps.get_model("outbox", "Email")
    for email in Email.objects.filter(public_id__isnull=True).only("pk"):
        Email.objects.filter(pk=email.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("outbox", "0001_initial")]

    operations = [
        # Nullable first: a callable default would give every existing row the same value.
        migrations.AddField(
            model_name="email",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="email",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
