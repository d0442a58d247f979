# The template a program uses moves from the column programs.Program.agreement_template to
# this app's ProgramTemplate, so that the foreign keys between the two apps point one way.
# The rows are copied here; programs 0003 drops the old column afterwards.

import django.db.models.deletion
from django.db import migrations, models


def copy_choices(apps, schema_editor):
    Program = apps.get_model("programs", "Program")
    ProgramTemplate = apps.get_model("agreement_templates", "ProgramTemplate")
    ProgramTemplate.objects.bulk_create(
        ProgramTemplate(program_id=program_id, template_id=template_id)
        for program_id, template_id in Program.objects.filter(
            agreement_template__isnull=False
        ).values_list("pk", "agreement_template_id")
    )


def copy_back(apps, schema_editor):
    Program = apps.get_model("programs", "Program")
    ProgramTemplate = apps.get_model("agreement_templates", "ProgramTemplate")
    for choice in ProgramTemplate.objects.all():
        Program.objects.filter(pk=choice.program_id).update(agreement_template=choice.template_id)


class Migration(migrations.Migration):

    dependencies = [
        ("agreement_templates", "0003_delete_templateevent"),
        ("programs", "0002_program_agreement_template"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProgramTemplate",
            fields=[
                (
                    "program",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="template_choice",
                        serialize=False,
                        to="programs.program",
                    ),
                ),
                ("chosen_at", models.DateTimeField(auto_now=True)),
                (
                    "template",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="program_choices",
                        to="agreement_templates.agreementtemplate",
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy_choices, copy_back),
    ]
