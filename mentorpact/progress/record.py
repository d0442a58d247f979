"""The partnership's whole record as one ZIP, for either partner to keep.

Inside: `record.html` (people, dates, the timeline, every action plan, the midpoint reviews and
the closing review, readable in any browser), the plans and commitments as CSV, the timeline
as CSV, the signed agreement PDFs (sealed, from the agreements app) and whatever the meetings
app hands over for this person (its meetings, the notes and feedback they may see, an .ics),
and the confidentiality exceptions' records they may read (confidentiality/).
"""

import io
import zipfile
from datetime import UTC, datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from mentorpact.agreements import services as agreement_services
from mentorpact.agreements.models import AgreementVersion
from mentorpact.confidentiality import selectors as confidentiality_selectors
from mentorpact.lib import csvfile
from mentorpact.lib.dates import in_zone
from mentorpact.meetings import selectors as meeting_selectors
from mentorpact.partnerships.models import Partnership
from mentorpact.progress import selectors, summary
from mentorpact.progress.models import ActionPlan


def filename(partnership: Partnership) -> str:
    names = slugify(f"{partnership.mentor.full_name} {partnership.mentee.full_name}")
    return f"mentorpact-record-{names}.zip"


PLAN_HEADER = [
    "agreement",
    "goal label",
    "goal",
    "how success is measured",
    "action steps",
    "owner",
    "due date",
    "status",
    "progress so far",
    "last updated",
]


def _plan_rows(plans: list[ActionPlan], partnership: Partnership) -> list[list]:
    return [
        [
            plan.agreement.number,
            item.source_label,
            item.goal,
            item.measure,
            "\n".join(item.steps),
            item.owner_text(partnership),
            item.due_on.isoformat() if item.due_on else "",
            item.get_status_display(),
            item.progress_note,
            item.updated_at.astimezone(UTC).isoformat(timespec="minutes"),
        ]
        for plan in plans
        for item in plan.items.all()
    ]


def _commitment_rows(plans: list[ActionPlan]) -> list[list]:
    return [
        [
            plan.agreement.number,
            c.opportunity,
            c.venue,
            "done" if c.is_done else "not yet",
            c.done_at.astimezone(UTC).date().isoformat() if c.done_at else "",
        ]
        for plan in plans
        for c in plan.commitments.all()
    ]


def _signed_versions(partnership: Partnership) -> list[AgreementVersion]:
    return list(
        AgreementVersion.objects.filter(
            agreement__partnership=partnership, status__in=AgreementVersion.SIGNED_STATUSES
        )
        .select_related("agreement__partnership__program", "template_version")
        .order_by("agreement__number", "number")
    )


def _meeting_files(partnership: Partnership, user) -> dict[str, bytes]:
    """The meetings app's part of the record: meetings, the notes and feedback this person may
    see, and a calendar file."""
    return dict(meeting_selectors.record_files(partnership, user))


def build_record(partnership: Partnership, user, *, now: datetime | None = None) -> bytes:
    now = now or timezone.now()
    role = partnership.role_of(user) or "coordinator"
    progress = selectors.partnership_progress(partnership, role=role, viewer=user, now=now)
    plans = list(
        ActionPlan.objects.filter(partnership=partnership)
        .select_related("agreement")
        .prefetch_related("items", "commitments")
        .order_by("agreement__number")
    )
    meetings = list(meeting_selectors.timeline_entries(partnership, user))
    entries = selectors.timeline_entries(partnership, role=role, meetings=meetings)
    zone = user.time_zone
    versions = _signed_versions(partnership)
    pdfs = {
        f"agreements/agreement-{v.agreement.number}-version-{v.number}.pdf": v for v in versions
    }
    meeting_files = _meeting_files(partnership, user)
    # The exceptions to confidentiality: the pair's agreed disclosures, the mentor's own
    # serious-danger disclosures (confidentiality.selectors.record_files decides).
    confidentiality_files = confidentiality_selectors.record_files(partnership, user)
    context = {
        "partnership": partnership,
        "person": user,
        "role": role,
        "progress": progress,
        "plans": plans,
        "entries": [(in_zone(e.at, zone), e) for e in entries],
        "midpoint": summary.midpoint_answers(progress),
        "closings": [
            (review, summary.closing_outcomes(progress, review)) for review in progress.reviews
        ],
        "thank_you": summary.sent_thank_you(progress),
        "pdfs": list(pdfs),
        "meeting_files": sorted(meeting_files),
        "made_at": in_zone(now, zone),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.html", render_to_string("progress/record.html", context))
        archive.writestr("README.txt", render_to_string("progress/record-readme.txt", context))
        archive.writestr(
            "action-plan.csv", csvfile.write(PLAN_HEADER, _plan_rows(plans, partnership))
        )
        archive.writestr(
            "commitments.csv",
            csvfile.write(
                ["agreement", "opportunity", "venue", "status", "done on"], _commitment_rows(plans)
            ),
        )
        archive.writestr(
            "timeline.csv",
            csvfile.write(
                ["when (UTC)", "what", "detail"],
                [
                    [e.at.astimezone(UTC).isoformat(timespec="minutes"), e.title, e.detail]
                    for e in entries
                ],
            ),
        )
        for name, version in pdfs.items():
            archive.writestr(name, agreement_services.version_pdf(version=version))
        for name, data in meeting_files.items():
            archive.writestr(f"meetings/{name}", data)
        for name, data in confidentiality_files.items():
            archive.writestr(f"confidentiality/{name}", data)
    return buffer.getvalue()
