from django.db import migrations


class Migration(migrations.Migration):
    # The rows were copied into audit.Event first.
    dependencies = [
        ("audit", "0002_copy_app_events"),
        ("office", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="programevent", name="program_event_history"),
        migrations.DeleteModel(name="ProgramEvent"),
    ]
