from django.db import migrations


class Migration(migrations.Migration):
    # The rows were copied into audit.Event first.
    dependencies = [
        ("audit", "0002_copy_app_events"),
        ("agreement_templates", "0002_owner_program_and_events"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="templateevent",
            name="template_event_kind_valid",
        ),
        migrations.DeleteModel(
            name="TemplateEvent",
        ),
    ]
