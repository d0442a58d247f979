from django.db import migrations


class Migration(migrations.Migration):
    # The rows were copied into audit.Event (and the reasons into MeetingReason) first.
    dependencies = [
        ("audit", "0002_copy_app_events"),
        ("meetings", "0002_meetingreason"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="meetingevent", name="meeting_event_history"),
        migrations.DeleteModel(name="MeetingEvent"),
    ]
