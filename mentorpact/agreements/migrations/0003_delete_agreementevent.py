from django.db import migrations


class Migration(migrations.Migration):
    # The rows were copied into audit.Event first.
    dependencies = [
        ("audit", "0002_copy_app_events"),
        ("agreements", "0002_signed_versions_are_final"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="agreementevent",
            name="agreement_event_history",
        ),
        migrations.DeleteModel(
            name="AgreementEvent",
        ),
    ]
