"""Copy the six per-app event tables into audit.Event (their tables are dropped next).

Irreversible on purpose: the audit trail is append-only, and since this migration it also
holds what no old table can (sign-ins, refusals), so going back would mean deleting audit
records. Restore a backup instead.

Rows are copied in time order, ties broken in the order the old timeline merged its sources
(partnership, agreement, progress, then templates, meetings and programs), so the new ids order the
timeline as before. What each old row linked to by foreign key is kept in the details by id
(and number, for versions and agreements), the way services record them now.
"""

from django.db import migrations

BATCH = 1000


def _rows(apps):
    PartnershipEvent = apps.get_model("partnerships", "PartnershipEvent")
    AgreementEvent = apps.get_model("agreements", "AgreementEvent")
    ProgressEvent = apps.get_model("progress", "ProgressEvent")
    TemplateEvent = apps.get_model("agreement_templates", "TemplateEvent")
    MeetingEvent = apps.get_model("meetings", "MeetingEvent")
    ProgramEvent = apps.get_model("office", "ProgramEvent")

    for e in PartnershipEvent.objects.select_related("partnership").iterator():
        details = dict(e.detail or {})
        details.update(
            {k: v for k, v in (("from_status", e.from_status), ("to_status", e.to_status)) if v}
        )
        yield (
            (e.created_at, 0, e.pk),
            {
                "action": f"partnership.{e.kind}",
                "object_type": "partnership",
                "object_id": e.partnership_id,
                "partnership_id": e.partnership_id,
                "program_id": e.partnership.program_id,
            },
            e,
            details,
            "",
        )
    for e in AgreementEvent.objects.select_related("agreement", "version").iterator():
        details = dict(e.detail or {}, agreement_number=e.agreement.number)
        if e.version_id:
            details.update(version_id=e.version_id, version_number=e.version.number)
        yield (
            (e.created_at, 1, e.pk),
            {
                "action": f"agreement.{e.kind}",
                "object_type": "agreement",
                "object_id": e.agreement_id,
                "partnership_id": e.agreement.partnership_id,
                "program_id": None,
            },
            e,
            details,
            "",
        )
    for e in ProgressEvent.objects.select_related("partnership").iterator():
        details = dict(e.detail or {})
        if e.plan_item_id:
            details["plan_item_id"] = e.plan_item_id
        yield (
            (e.created_at, 2, e.pk),
            {
                "action": f"progress.{e.kind}",
                "object_type": "partnership",
                "object_id": e.partnership_id,
                "partnership_id": e.partnership_id,
                "program_id": e.partnership.program_id,
            },
            e,
            details,
            "",
        )
    for e in TemplateEvent.objects.select_related("version").iterator():
        details = dict(e.detail or {})
        if e.version_id:
            details.update(version_id=e.version_id, version_number=e.version.number)
        yield (
            (e.created_at, 3, e.pk),
            {
                "action": f"template.{e.kind}",
                "object_type": "agreementtemplate",
                "object_id": e.template_id,
                "partnership_id": None,
                "program_id": e.program_id,
            },
            e,
            details,
            "",
        )
    for e in MeetingEvent.objects.select_related("meeting").iterator():
        yield (
            (e.created_at, 4, e.pk),
            {
                "action": f"meeting.{e.kind}",
                "object_type": "meeting",
                "object_id": e.meeting_id,
                "partnership_id": e.meeting.partnership_id,
                "program_id": None,
            },
            e,
            dict(e.detail or {}),
            e.reason_token,
        )


    for e in ProgramEvent.objects.iterator():
        yield (e.created_at, 5, e.pk), {
            "action": f"program.{e.kind}",
            "object_type": "program",
            "object_id": e.program_id,
            "partnership_id": None,
            "program_id": e.program_id,
        }, e, dict(e.detail or {}), ""


def copy_events(apps, schema_editor):
    Event = apps.get_model("audit", "Event")
    MeetingReason = apps.get_model("meetings", "MeetingReason")
    batch = []
    for _key, where, old, details, reason_token in sorted(_rows(apps), key=lambda r: r[0]):
        event = Event(at=old.created_at, actor_id=old.actor_id, details=details, **where)
        if reason_token:
            # The reason's row needs the event's key: save this one alone, after the batch.
            Event.objects.bulk_create(batch)
            batch = []
            event.save()
            MeetingReason.objects.create(event=event, reason_token=reason_token)
            continue
        batch.append(event)
        if len(batch) >= BATCH:
            Event.objects.bulk_create(batch)
            batch = []
    Event.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("partnerships", "0003_agreement_due_on_and_pairing"),
        ("agreements", "0002_signed_versions_are_final"),
        ("progress", "0001_initial"),
        ("agreement_templates", "0002_owner_program_and_events"),
        ("meetings", "0002_meetingreason"),
        ("office", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_events, reverse_code=None, elidable=False)]
