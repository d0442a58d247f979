"""Writes for the dashboard: the ZIP of a program's signed agreements, asked for, built by the
worker, downloaded; and the record of each export."""

import datetime
import hashlib
import io
import logging
import zipfile
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.agreements import content as agreement_content
from mentorpact.agreements import services as agreement_services
from mentorpact.agreements.models import AgreementVersion
from mentorpact.audit.services import record
from mentorpact.dashboard import tasks
from mentorpact.dashboard.models import AgreementsZip, DashboardAction
from mentorpact.lib import emails, sheets, stored_files
from mentorpact.outbox.services import post
from mentorpact.programs.models import Program

logger = logging.getLogger(__name__)

# The progress indicator's row is written after this many PDFs (and after the last).
PROGRESS_EVERY = 10
MANIFEST = "manifest.csv"


@transaction.atomic
def request_agreements_zip(
    *, program: Program, actor: User, now: datetime.datetime | None = None
) -> AgreementsZip:
    """The coordinator's "Build the ZIP": a row for the status page, built by the worker
    (tasks.build_agreements_zip). A ZIP still waiting or being built is returned instead of a
    second one (a double click, a reload of the POST)."""
    now = now or timezone.now()
    pending = AgreementsZip.objects.filter(
        program=program, status__in=AgreementsZip.PENDING
    ).first()
    if pending is not None:
        return pending
    found = AgreementsZip.objects.create(program=program, requested_by=actor, created_at=now)
    record(DashboardAction.ZIP_REQUESTED, on=found, actor=actor, program_id=program.pk, now=now)
    transaction.on_commit(partial(tasks.build_agreements_zip.enqueue, found.pk))
    return found


def entitled_versions(program: Program) -> list[AgreementVersion]:
    """Every signed version (in effect or superseded by an amendment) of the program whose
    template returns signed agreements to the program (distribution "program", the rule
    agreements.selectors.coordinator_may_read applies to one version); oldest first."""
    versions = list(
        AgreementVersion.objects.filter(
            agreement__partnership__program=program,
            status__in=AgreementVersion.SIGNED_STATUSES,
        )
        .select_related(
            "template_version", "agreement__partnership__mentor", "agreement__partnership__mentee"
        )
        .order_by("effective_at", "pk")
    )
    distribution: dict[int, str] = {}
    out = []
    for version in versions:
        version.agreement.partnership.program = program
        if version.template_version_id not in distribution:
            template = agreement_content.template_for_program(version.template_version, program)
            distribution[version.template_version_id] = template.rules.distribution or "pair"
        if distribution[version.template_version_id] == "program":
            out.append(version)
    return out


def build_agreements_zip(*, zip_id: int, now: datetime.datetime | None = None) -> None:
    """Build the ZIP (the worker's task): claim it (queued to building, once, by a conditional
    UPDATE), add each entitled version's sealed PDF (sealed now if it never was) and the
    manifest, store it encrypted, mark it done and email the coordinator the link. Run again
    after a crash, a ZIP left building starts over; a done one is only emailed (by its key)."""
    claimed = AgreementsZip.objects.filter(pk=zip_id, status=AgreementsZip.Status.QUEUED).update(
        status=AgreementsZip.Status.BUILDING
    )
    found = AgreementsZip.objects.select_related("program", "requested_by").get(pk=zip_id)
    if not claimed and found.status == AgreementsZip.Status.DONE:
        _email_ready(found)
        return
    if not claimed and found.status != AgreementsZip.Status.BUILDING:
        return
    try:
        _build(found, now=now)
    except Exception as error:  # the status page says so, and the task's own record keeps it
        logger.exception("Building the signed agreements ZIP %s failed", found.pk)
        AgreementsZip.objects.filter(pk=found.pk).update(
            status=AgreementsZip.Status.FAILED,
            problem=f"The ZIP could not be built ({type(error).__name__}). Try again, or ask "
            "your administrator.",
            finished_at=timezone.now(),
        )
        return
    _email_ready(found)


def _build(found: AgreementsZip, *, now: datetime.datetime | None) -> None:
    program = found.program
    versions = entitled_versions(program)
    AgreementsZip.objects.filter(pk=found.pk).update(total=len(versions), done=0)
    out = io.BytesIO()
    manifest = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for done, version in enumerate(versions, 1):
            data = agreement_services.seal_signed_version(version=version)
            name = _pdf_name(version)
            archive.writestr(name, data)
            partnership = version.agreement.partnership
            manifest.append(
                [
                    str(partnership.public_id),
                    partnership.mentor.full_name,
                    partnership.mentee.full_name,
                    version.agreement.number,
                    version.number,
                    version.get_status_display(),
                    version.effective_at,
                    hashlib.sha256(data).hexdigest(),
                    name,
                ]
            )
            if done % PROGRESS_EVERY == 0 or done == len(versions):
                AgreementsZip.objects.filter(pk=found.pk).update(done=done)
        archive.writestr(
            MANIFEST,
            sheets.csv_bytes(
                [
                    "partnership",
                    "mentor",
                    "mentee",
                    "agreement",
                    "version",
                    "status",
                    "signed at (UTC)",
                    "sha256",
                    "file",
                ],
                manifest,
            ),
        )
    data = out.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    # Encrypted at rest, as the sealed PDFs it copies are (lib.stored_files).
    name = stored_files.save(f"exports/{program.public_id}/agreements-{found.public_id}.zip", data)
    finished = now or timezone.now()
    with transaction.atomic():
        earlier = list(
            AgreementsZip.objects.filter(program=program, status=AgreementsZip.Status.DONE)
            .exclude(pk=found.pk)
            .exclude(file_name="")
        )
        AgreementsZip.objects.filter(pk=found.pk).update(
            status=AgreementsZip.Status.DONE,
            file_name=name,
            sha256=digest,
            size=len(data),
            finished_at=finished,
        )
        # One copy of the program's signed agreements at a time: the earlier ZIP's file goes.
        AgreementsZip.objects.filter(pk__in=[e.pk for e in earlier]).update(file_name="")
        record(
            DashboardAction.ZIP_BUILT,
            on=found,
            actor=None,
            program_id=program.pk,
            now=finished,
            pdfs=len(versions),
            sha256=digest,
        )
    for old in earlier:
        stored_files.delete(old.file_name)
    found.file_name, found.status = name, AgreementsZip.Status.DONE


def _pdf_name(version: AgreementVersion) -> str:
    partnership = version.agreement.partnership
    return f"{partnership.public_id}/agreement-{version.agreement.number}-v{version.number}.pdf"


def _email_ready(found: AgreementsZip) -> None:
    program = found.program
    link = reverse("dashboard:zip_status", args=[program.public_id, found.public_id])
    post(
        "dashboard-zip-ready",
        key=f"dashboard-zip:{found.pk}:{found.requested_by_id}",
        to=found.requested_by.email,
        program_id=program.pk,
        context={
            "program": program,
            "person": found.requested_by,
            "link": emails.absolute(link),
        },
    )


def zip_downloaded(*, found: AgreementsZip, actor: User) -> bytes:
    """The stored ZIP's bytes, its download recorded (who took a copy of every agreement)."""
    data = stored_files.read(found.file_name)
    record(DashboardAction.ZIP_DOWNLOADED, on=found, actor=actor, program_id=found.program_id)
    return data


def exported(*, program: Program, actor: User, kind: str, fmt: str, filters: dict) -> None:
    """Record an export (which, in which format, with which filters: ids and dates)."""
    record(
        DashboardAction.EXPORTED,
        on=program,
        actor=actor,
        program_id=program.pk,
        kind=kind,
        format=fmt,
        filters=filters,
    )
