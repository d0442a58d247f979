from django.db import migrations


class Migration(migrations.Migration):
    # The rows were copied into audit.Event first.
    dependencies = [
        ("audit", "0002_copy_app_events"),
        ("progress", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="progressevent",
            name="progress_event_timeline",
        ),
        migrations.DeleteModel(
            name="ProgressEvent",
        ),
    ]
