from django.db import migrations


class Migration(migrations.Migration):
    # The rows were copied into audit.Event first.
    dependencies = [
        ("audit", "0002_copy_app_events"),
        ("partnerships", "0003_agreement_due_on_and_pairing"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="partnershipevent",
            name="event_timeline",
        ),
        migrations.DeleteModel(
            name="PartnershipEvent",
        ),
    ]
