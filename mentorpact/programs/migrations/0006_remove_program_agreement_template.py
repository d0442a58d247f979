# The program's template now lives in agreement_templates.ProgramTemplate (copied there by
# agreement_templates 0003): programs points no foreign key at agreement_templates any more.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("agreement_templates", "0004_programtemplate"),
        ("programs", "0005_program_archived_at"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="program",
            name="agreement_template",
        ),
    ]
