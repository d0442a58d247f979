"""The retention period: a finished partnership's records are kept for its program's
`retention_years` after it finished, then deleted (`manage.py purge_expired`, daily).

Finished means concluded, ended early or undone; the date is the partnership's last status
change. Deleted with it: its agreements (every version, signed ones included, their
signatures, revisions and sealed PDF files), meetings, notes, feedback, the reasons given for
moved meetings, action plan, midpoint and closing reviews, thank-you note, requests for help
and their messages, the confidentiality exceptions' records, reminders and its outbox
emails. That is also when what a deleted account signed (the name as signed) goes.

Kept: the audit trail (ids, dates and statuses only, and hash-chained: deleting its events
would break the chain), with a `privacy.partnership_purged` event; the people's accounts
(another program may still have them) and their e-sign consents (a person's, not a
partnership's).

The signed records are append-only in the database (agreements 0007, audit 0003): a row in
`audit_unlock`, written and removed inside the purge's own transaction (so no other
connection ever sees it), is what lets their DELETE through, as for `manage.py flush`.
"""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from mentorpact.agreements.integrity import PURGED
from mentorpact.agreements.models import (
    Agreement,
    AgreementRevision,
    AgreementVersion,
    InvitedSigner,
    Signature,
)
from mentorpact.audit import services as audit
from mentorpact.audit.models import Event
from mentorpact.confidentiality.models import AgreedDisclosure, DangerDisclosure, DisclosureUse
from mentorpact.lib import stored_files
from mentorpact.meetings.models import Feedback, Meeting, MeetingReason, Note
from mentorpact.outbox.models import Email
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Program
from mentorpact.progress.models import (
    ActionPlan,
    ClosingReview,
    MidpointReview,
    Reminder,
    ThankYouNote,
)
from mentorpact.support.models import HelpMessage, HelpRequest

FINISHED = (
    Partnership.Status.CONCLUDED,
    Partnership.Status.ENDED_EARLY,
    Partnership.Status.UNPAIRED,
)
UNLOCK_REASON = "retention"


def years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    """The same day and time `years` earlier (28 February for a 29th that year lacks)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def expired(*, now: datetime.datetime | None = None) -> list[Partnership]:
    """The partnerships whose retention period is over at `now`, oldest first."""
    now = now or timezone.now()
    due = Q(pk__in=[])
    for program_id, years in Program.objects.values_list("pk", "retention_years"):
        due |= Q(program_id=program_id, status_changed_at__lt=years_before(now, years))
    return list(
        Partnership.objects.filter(due, status__in=FINISHED).order_by("status_changed_at", "pk")
    )


@dataclass(frozen=True)
class Purged:
    partnerships: int
    files: int


def purge_expired(*, now: datetime.datetime | None = None) -> Purged:
    """Delete every partnership whose retention period is over, each in its own transaction;
    what was deleted."""
    now = now or timezone.now()
    files = 0
    done = 0
    for partnership in expired(now=now):
        files += purge_partnership(partnership=partnership, now=now)
        done += 1
    return Purged(partnerships=done, files=files)


def purge_partnership(*, partnership: Partnership, now: datetime.datetime) -> int:
    """Delete one finished partnership's records (see the module's docstring); the number of
    stored files removed. A second purger finds the partnership gone and deletes nothing."""
    with transaction.atomic():
        locked = (
            Partnership.objects.select_for_update()
            .filter(pk=partnership.pk, status__in=FINISHED)
            .first()
        )
        if locked is None:
            return 0
        agreements = Agreement.objects.filter(partnership=locked)
        versions = AgreementVersion.objects.filter(agreement__in=agreements)
        stored = [name for name in versions.values_list("sealed_pdf", flat=True) if name]
        # Named in the purge's event, so verify_integrity knows they went by the rules.
        purged_ids = {
            "version_ids": sorted(versions.values_list("pk", flat=True)),
            "signature_ids": sorted(
                Signature.objects.filter(version__in=versions).values_list("pk", flat=True)
            ),
            "revision_ids": sorted(
                AgreementRevision.objects.filter(agreement__in=agreements).values_list(
                    "pk", flat=True
                )
            ),
        }
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO audit_unlock (reason) VALUES (%s)", [UNLOCK_REASON])
        try:
            _delete_records(locked, agreements, versions)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_unlock WHERE reason = %s", [UNLOCK_REASON])
        audit.record(
            PURGED,
            on=locked.program,
            program_id=locked.program_id,
            now=now,
            purged_partnership=str(locked.public_id),
            status=locked.status,
            finished_at=locked.status_changed_at.isoformat(),
            retention_years=locked.program.retention_years,
            **purged_ids,
        )
        # The files go once the rows are gone for good; a crash in between leaves files no
        # row names, never a row without its file.
        transaction.on_commit(lambda: _delete_files(stored))
    return len(stored)


def _delete_files(names: list[str]) -> None:
    for name in names:
        stored_files.delete(name)


def _delete_records(partnership, agreements, versions) -> None:
    meetings = Meeting.objects.filter(partnership=partnership)
    Email.objects.filter(partnership_id=partnership.pk).delete()
    Reminder.objects.filter(partnership=partnership).delete()
    ThankYouNote.objects.filter(partnership=partnership).delete()
    ClosingReview.objects.filter(partnership=partnership).delete()
    MidpointReview.objects.filter(partnership=partnership).delete()
    ActionPlan.objects.filter(partnership=partnership).delete()  # its items and commitments
    Feedback.objects.filter(meeting__in=meetings).delete()
    Note.objects.filter(partnership=partnership).delete()
    HelpMessage.objects.filter(request__partnership=partnership).delete()
    HelpRequest.objects.filter(partnership=partnership).delete()
    DisclosureUse.objects.filter(disclosure__partnership=partnership).delete()
    AgreedDisclosure.objects.filter(partnership=partnership).delete()
    DangerDisclosure.objects.filter(partnership=partnership).delete()
    MeetingReason.objects.filter(
        event__in=Event.objects.filter(partnership_id=partnership.pk)
    ).delete()
    meetings.delete()
    Signature.objects.filter(version__in=versions).delete()
    AgreementRevision.objects.filter(agreement__in=agreements).delete()
    # Who the partners named to sign (a guardian's name and email): the partnership's too.
    InvitedSigner.objects.filter(agreement__in=agreements).delete()
    # Newest first: each version points at the one before it (PROTECT).
    for version in versions.order_by("-number", "-pk"):
        version.delete()
    agreements.delete()
    partnership.delete()
