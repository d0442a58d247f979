"""Reads for the action plan, the midpoint check and the closing review, and who may see them.

Partners see everything here. A coordinator sees dates and statuses only: counts of plan items
by status, that a review was submitted, the closing decision; never a goal's text, a review's
answers or a learning conclusion (`timeline_entries` and `PartnershipProgress` take the viewer's
role and leave those out).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC

from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from mentorpact.agreement_templates.rules import effective_rules
from mentorpact.agreement_templates.schema import Rules, Template
from mentorpact.agreements import content as agreement_content
from mentorpact.agreements.models import Agreement, AgreementAction, AgreementVersion
from mentorpact.audit import selectors as audit_selectors
from mentorpact.audit.models import Event
from mentorpact.evaluations import selectors as evaluation_selectors
from mentorpact.evaluations.form import EvaluationForm
from mentorpact.evaluations.models import Evaluation
from mentorpact.events import selectors as event_selectors
from mentorpact.events.models import Invitation
from mentorpact.lib.timeline import TimelineEntry
from mentorpact.meetings import selectors as meeting_selectors
from mentorpact.meetings.models import Meeting
from mentorpact.partnerships.models import Partnership, PartnershipAction, status_label
from mentorpact.partnerships.selectors import (
    PartnershipAccess,
    get_partnership_for_partner,
)
from mentorpact.progress import goals
from mentorpact.progress.due import DueItem, due_list
from mentorpact.progress.models import (
    ActionPlan,
    ClosingReview,
    Commitment,
    MidpointReview,
    PlanItem,
    ProgressAction,
    Reminder,
)
from mentorpact.progress.schedule import Term, term_of

# --- The agreement in effect ----------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """The agreement whose goals the pair is working on: the latest one in effect."""

    agreement: Agreement
    version: AgreementVersion
    template: Template
    term: Term

    @property
    def content(self) -> dict:
        return self.version.content


def standing_of(partnership: Partnership) -> Standing | None:
    version = (
        AgreementVersion.objects.filter(
            agreement__partnership=partnership, status=AgreementVersion.Status.IN_EFFECT
        )
        .select_related("agreement", "template_version")
        .order_by("-agreement__number")
        .first()
    )
    if version is None:
        return None
    template = agreement_content.template_for_program(version.template_version, partnership.program)
    return _standing(partnership, version, template)


def _standing(partnership: Partnership, version: AgreementVersion, template: Template) -> Standing:
    agreement = version.agreement
    # The first agreement's term starts when the partnership started, as the program records
    # it, or else on the day the agreement came into effect; a continuation's, on its own day.
    since = agreement.in_effect_since or version.effective_at
    starts_on = since.astimezone(UTC).date() if since else None
    if agreement.number == 1 and partnership.started_on:
        starts_on = partnership.started_on
    term = term_of(
        template,
        version.content,
        starts_on=starts_on,
        planned_end=partnership.ends_on if agreement.number == 1 else None,
        kickoff=partnership.program.kickoff_date,
    )
    return Standing(agreement=agreement, version=version, template=template, term=term)


def standing_agreement(partnership: Partnership) -> Agreement | None:
    standing = standing_of(partnership)
    return standing.agreement if standing else None


def latest_agreement(partnership: Partnership) -> Agreement | None:
    return partnership.agreements.order_by("-number").first()


# --- Access ---------------------------------------------------------------------------------


def get_progress_for_partner(user, code) -> PartnershipAccess:
    """Partner-only pages (plan, midpoint, closing, record): coordinator 403, outsider 404."""
    return get_partnership_for_partner(user, code)


def plan_for(agreement: Agreement | None) -> ActionPlan | None:
    if agreement is None:
        return None
    return (
        ActionPlan.objects.filter(agreement=agreement)
        .select_related("agreement", "completed_by")
        .prefetch_related(
            Prefetch("items", queryset=PlanItem.objects.select_related("updated_by")),
            Prefetch("commitments", queryset=Commitment.objects.select_related("done_by")),
        )
        .first()
    )


def get_plan_item_for_partner(user, code, item_id) -> tuple[PartnershipAccess, PlanItem]:
    access = get_partnership_for_partner(user, code)
    item = (
        PlanItem.objects.select_related("plan__agreement", "updated_by")
        .filter(public_id=item_id, plan__partnership=access.partnership)
        .first()
    )
    if item is None:
        raise Http404
    return access, item


def get_commitment_for_partner(user, code, commitment_id) -> tuple[PartnershipAccess, Commitment]:
    access = get_partnership_for_partner(user, code)
    commitment = (
        Commitment.objects.select_related("plan__agreement")
        .filter(public_id=commitment_id, plan__partnership=access.partnership)
        .first()
    )
    if commitment is None:
        raise Http404
    return access, commitment


def midpoint_reviews(agreement: Agreement | None) -> list[MidpointReview]:
    if agreement is None:
        return []
    return list(
        MidpointReview.objects.filter(agreement=agreement).select_related("author").order_by("role")
    )


def closing_reviews(partnership: Partnership) -> list[ClosingReview]:
    return list(
        partnership.closing_reviews.select_related("proposed_by", "confirmed_by", "agreement")
        .exclude(status=ClosingReview.Status.WITHDRAWN)
        .order_by("created_at")
    )


def open_proposal(reviews: list[ClosingReview]) -> ClosingReview | None:
    return next((r for r in reviews if r.status == ClosingReview.Status.PROPOSED), None)


def confirmed_review(reviews: list[ClosingReview], agreement: Agreement | None):
    """The confirmed closing review of this agreement (or of the partnership, ended early
    before any agreement was signed)."""
    for review in reviews:
        if review.status == ClosingReview.Status.CONFIRMED and review.agreement_id == (
            agreement.pk if agreement else None
        ):
            return review
    return None


def last_closing(reviews: list[ClosingReview]) -> ClosingReview | None:
    confirmed = [r for r in reviews if r.status == ClosingReview.Status.CONFIRMED]
    return confirmed[-1] if confirmed else None


# --- What is due next -----------------------------------------------------------------------


def plan_rule(template: Template) -> int | None:
    return template.rules.action_plan_by_meeting


def _plan_url(partnership: Partnership) -> str:
    return reverse("progress:plan", args=[partnership.public_id])


@dataclass
class PartnershipProgress:
    """Everything the partnership page shows of this app, read with a fixed number of queries."""

    partnership: Partnership
    role: str
    standing: Standing | None
    plan: ActionPlan | None
    latest: Agreement | None
    midpoint: list[MidpointReview]
    reviews: list[ClosingReview]
    held: int
    last_contact: datetime.datetime | None
    now: datetime.datetime
    # The rules in force: the agreement in effect's (with the program's overrides), else the
    # program's current template's (before anything is signed).
    rules: Rules = field(default_factory=Rules)
    meetings: list[TimelineEntry] = field(default_factory=list)
    # The partnership's meetings themselves (meetings.selectors.meetings_of) when read with
    # them, for the page's meetings section.
    meeting_rows: list[Meeting] = field(default_factory=list)
    # The program's open evaluations, the roles that answered each round of them
    # ({(evaluation id, round key): roles}) and when the first meeting was held: the
    # evaluations' due items (progress.due).
    evaluations: list[tuple[Evaluation, EvaluationForm]] = field(default_factory=list)
    evaluation_answers: dict[tuple[int, str], set[str]] = field(default_factory=dict)
    first_meeting_at: datetime.datetime | None = None
    # The partners' invitations to the program's required events not yet over, by role.
    required_events: dict[str, list[Invitation]] = field(default_factory=dict)

    @property
    def is_partner(self) -> bool:
        return self.role in ("mentor", "mentee")

    @property
    def items(self) -> list[PlanItem]:
        return list(self.plan.items.all()) if self.plan else []

    @property
    def commitments(self) -> list[Commitment]:
        return list(self.plan.commitments.all()) if self.plan else []

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        counts = Counter(item.status for item in self.items)
        return [(label, counts[value]) for value, label in PlanItem.Status.choices]

    @property
    def status_summary(self) -> str:
        """ "Not started: 1 · Done: 3": plan items by status (counts only)."""
        return " · ".join(f"{label}: {n}" for label, n in self.status_counts if n)

    @property
    def commitments_done(self) -> int:
        return sum(1 for c in self.commitments if c.is_done)

    @property
    def plan_by_meeting(self) -> int | None:
        return plan_rule(self.standing.template) if self.standing else None

    @property
    def plan_overdue(self) -> bool:
        n = self.plan_by_meeting
        if n is None:
            return False
        if self.plan and self.plan.is_complete:
            return (self.plan.completed_after_meetings or 0) > n
        return self.held >= n

    @property
    def open_proposal(self) -> ClosingReview | None:
        return open_proposal(self.reviews)

    @property
    def reviewed(self) -> bool:
        """The agreement in effect has had its closing review (continued, new one unsigned)."""
        agreement = self.standing.agreement if self.standing else None
        return agreement is not None and confirmed_review(self.reviews, agreement) is not None

    @property
    def live_items(self) -> list[PlanItem]:
        """The goals a review looks at: not dropped, of an agreement not yet reviewed."""
        if self.reviewed:
            return []
        return [item for item in self.items if item.status != PlanItem.Status.DROPPED]

    @property
    def unplanned_goals(self) -> int:
        """How many goals of the agreement in effect are waiting for an action plan nobody has
        started (a review then has no goals to rate; its page says so)."""
        if self.plan is not None or self.standing is None or self.reviewed:
            return 0
        return len(goals.goal_sources(self.standing.template, self.standing.content))

    @property
    def closing(self) -> ClosingReview | None:
        return last_closing(self.reviews)

    @property
    def midpoint_roles(self) -> set[str]:
        return {review.role for review in self.midpoint}

    @property
    def midpoint_review_of_mine(self) -> MidpointReview | None:
        return next((r for r in self.midpoint if r.role == self.role), None)

    def due(self) -> list[DueItem]:
        return due_list(self)


def partnership_progress(
    partnership: Partnership,
    *,
    role: str,
    viewer,
    now=None,
    with_meetings: bool = True,
    program_rules: Rules | None = None,
    with_due_facts: bool = True,
) -> PartnershipProgress:
    """Read once per page. `with_meetings=False` skips the meetings app's entries (pages
    that show no due list); `with_due_facts=False` skips the evaluations and required events
    only the due items read (the plan, midpoint and closing pages). `program_rules`: the
    program's effective rules when the caller already has them (the reminder planner reads
    them once per program, not per pair)."""
    now = now or timezone.now()
    standing = standing_of(partnership)
    agreement = standing.agreement if standing else None
    latest = latest_agreement(partnership)
    meeting_rows: list = []
    if with_meetings:
        # The meetings read once: the timeline, the contact figures and the page's meetings
        # section (meeting_rows) all come from this list.
        meeting_rows = meeting_selectors.meetings_of(partnership)
        held, last_contact = meeting_selectors.contact_of(meeting_rows)
    else:
        # Meetings held and the last of them, in one query (the overview's batch reader).
        held, last_contact = meeting_selectors.contact_by_partnership([partnership.pk]).get(
            partnership.pk, (0, None)
        )
    return PartnershipProgress(
        partnership=partnership,
        role=role,
        standing=standing,
        plan=plan_for(agreement),
        latest=latest,
        midpoint=midpoint_reviews(agreement),
        reviews=closing_reviews(partnership),
        held=held,
        last_contact=last_contact,
        now=now,
        rules=(
            standing.template.rules
            if standing
            else program_rules
            if program_rules is not None
            else effective_rules(partnership.program)
        ),
        meetings=(
            meeting_selectors.timeline_entries(
                partnership,
                viewer,
                meetings=meeting_rows,
                terms=(
                    meeting_selectors.meeting_terms(partnership, latest=latest)
                    if partnership.role_of(viewer) is not None
                    else None
                ),
            )
            if with_meetings
            else []
        ),
        meeting_rows=meeting_rows,
        **(_evaluation_facts([partnership], now)[partnership.pk] if with_due_facts else {}),
    )


def _evaluation_facts(partnerships: list[Partnership], now) -> dict[int, dict]:
    """PartnershipProgress's evaluation and required-event fields for many partnerships, in
    four queries."""
    ids = [p.pk for p in partnerships]
    required = event_selectors.required_by_person(
        {p.mentor_id for p in partnerships} | {p.mentee_id for p in partnerships},
        {p.program_id for p in partnerships},
        now=now,
    )
    open_ones = evaluation_selectors.open_evaluations(p.program_id for p in partnerships)
    answered = evaluation_selectors.answered_roles(ids) if open_ones else {}
    first = meeting_selectors.first_held_by_partnership(ids) if open_ones else {}
    by_partnership: dict[int, dict[tuple[int, str], set[str]]] = {}
    for (partnership_id, evaluation_id, key), roles in answered.items():
        by_partnership.setdefault(partnership_id, {})[(evaluation_id, key)] = roles
    return {
        p.pk: {
            "evaluations": open_ones.get(p.program_id, []),
            "evaluation_answers": by_partnership.get(p.pk, {}),
            "first_meeting_at": first.get(p.pk),
            "required_events": {
                role: required.get((p.program_id, getattr(p, f"{role}_id")), [])
                for role in ("mentor", "mentee")
            },
        }
        for p in partnerships
    }


def progress_of_many(
    partnerships: list[Partnership], *, role: str, now=None, with_due_facts: bool = False
) -> dict[int, PartnershipProgress]:
    """`partnership_progress(..., with_meetings=False)` for many partnerships at once, keyed
    by partnership id, in seven queries however many there are (the coordinator's overview;
    four more `with_due_facts`, the evaluations and required events the due items read).
    Each partnership's `program` should already be loaded (one program parses its template
    once per template version here)."""
    now = now or timezone.now()
    ids = [p.pk for p in partnerships]
    if not ids:
        return {}
    in_effect = {}  # the latest agreement in effect wins, as in standing_of
    for version in (
        AgreementVersion.objects.filter(
            agreement__partnership_id__in=ids, status=AgreementVersion.Status.IN_EFFECT
        )
        .select_related("agreement", "template_version")
        .order_by("agreement__number")
    ):
        in_effect[version.agreement.partnership_id] = version
    latest = {}
    for agreement in Agreement.objects.filter(partnership_id__in=ids).order_by("number"):
        latest[agreement.partnership_id] = agreement
    plans = {
        plan.agreement_id: plan
        for plan in ActionPlan.objects.filter(partnership_id__in=ids).only(
            "agreement_id", "partnership_id", "completed_at", "completed_after_meetings"
        )
    }
    midpoint: dict[int, list[MidpointReview]] = {}
    for review in (
        MidpointReview.objects.filter(partnership_id__in=ids)
        .only("agreement_id", "partnership_id", "role")
        .order_by("role")
    ):
        midpoint.setdefault(review.agreement_id, []).append(review)
    reviews: dict[int, list[ClosingReview]] = {}
    for closing in (
        ClosingReview.objects.filter(partnership_id__in=ids)
        .exclude(status=ClosingReview.Status.WITHDRAWN)
        .only(
            "partnership_id",
            "agreement_id",
            "status",
            "decision",
            "proposed_role",
            "created_at",
            "decided_at",
            "takes_effect_at",
        )
        .order_by("created_at")
    ):
        reviews.setdefault(closing.partnership_id, []).append(closing)
    contact = meeting_selectors.contact_by_partnership(ids)
    # What only the due items read (evaluations, required events): the due rows ask for it,
    # the overview's health does not.
    evaluation_facts = (
        _evaluation_facts(partnerships, now) if with_due_facts else dict.fromkeys(ids, {})
    )

    templates: dict[tuple[int, int], Template] = {}
    program_rules: dict[int, Rules] = {}  # for pairs with nothing signed: once per program
    out = {}
    for partnership in partnerships:
        standing = None
        effective = in_effect.get(partnership.pk)
        if effective is not None:
            key = (effective.template_version_id, partnership.program_id)
            if key not in templates:
                templates[key] = agreement_content.template_for_program(
                    effective.template_version, partnership.program
                )
            standing = _standing(partnership, effective, templates[key])
        # The plan and the midpoint reviews belong to the agreement in effect, if any.
        agreement_id = standing.agreement.pk if standing else None
        held, last_contact = contact.get(partnership.pk, (0, None))
        if standing is None and partnership.program_id not in program_rules:
            program_rules[partnership.program_id] = effective_rules(partnership.program)
        out[partnership.pk] = PartnershipProgress(
            partnership=partnership,
            role=role,
            standing=standing,
            plan=plans.get(agreement_id) if agreement_id is not None else None,
            latest=latest.get(partnership.pk),
            midpoint=midpoint.get(agreement_id, []) if agreement_id is not None else [],
            reviews=reviews.get(partnership.pk, []),
            held=held,
            last_contact=last_contact,
            now=now,
            rules=standing.template.rules if standing else program_rules[partnership.program_id],
            **evaluation_facts[partnership.pk],
        )
    return out


@dataclass(frozen=True)
class Health:
    """A partnership's standing against its terms, for the coordinator: dates, statuses and
    counts only (never what the partners wrote)."""

    agreement: str  # "none" (not started), "drafting" or "signed"
    agreement_number: int = 1  # 2 and up: a continuation's new agreement
    agreement_due_on: datetime.date | None = None
    agreement_overdue: bool = False
    signed_on: datetime.date | None = None
    signed_late: bool = False
    last_contact_on: datetime.date | None = None
    days_without_contact: int | None = None  # set when the contact rule is overdue
    next_due: DueItem | None = None  # the next dated step: action plan, midpoint, end date
    first_meeting_overdue: bool = False  # none held, past the first_meeting_within_weeks date

    @property
    def contact_overdue(self) -> bool:
        return self.days_without_contact is not None

    @property
    def needs_attention(self) -> bool:
        return self.agreement_overdue or self.contact_overdue or self.first_meeting_overdue


HEALTH_NEXT_KINDS = (
    "first_meeting",
    "action_plan_due",
    "min_meetings",
    "midpoint",
    "closing_due",
    "closing_proposed",
)


def health_of(progress: PartnershipProgress) -> Health:
    """The due list (`progress.due.due_list`) read as one row of the coordinator's overview."""
    due = progress.due()
    latest = progress.latest
    agreement_item = next((i for i in due if i.kind == "agreement_due"), None)
    contact_item = next((i for i in due if i.kind == "contact"), None)
    signed_on = None
    if latest is not None and latest.status == Agreement.Status.IN_EFFECT:
        since = latest.in_effect_since
        signed_on = timezone.localdate(since) if since else None
    days = None
    if contact_item is not None and contact_item.overdue:
        # due_list lists contact only under an agreement in effect, which has a start.
        standing = progress.standing
        since = progress.last_contact or (standing.version.effective_at if standing else None)
        if since is not None:
            days = (_day(progress.now) - _day(since)).days
    return Health(
        agreement="none" if latest is None else ("signed" if signed_on else "drafting"),
        agreement_number=latest.number if latest else 1,
        agreement_due_on=agreement_item.due_on if agreement_item else None,
        agreement_overdue=bool(agreement_item and agreement_item.overdue),
        signed_on=signed_on,
        signed_late=bool(
            signed_on and latest is not None and latest.due_on and signed_on > latest.due_on
        ),
        last_contact_on=_day(progress.last_contact) if progress.last_contact else None,
        days_without_contact=days,
        next_due=next((i for i in due if i.kind in HEALTH_NEXT_KINDS), None),
        first_meeting_overdue=any(i.kind == "first_meeting" and i.overdue for i in due),
    )


def _day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(UTC).date()


# --- The timeline ---------------------------------------------------------------------------

# Keyed by what an event's detail holds: a value, or None when the key is missing.
_STATUS_WORDS: dict[str | None, str] = dict(PlanItem.Status.choices)
_DECISION_WORDS: dict[str | None, str] = dict(ClosingReview.Decision.choices)


def _clip(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def progress_event_title(event: Event, *, partner: bool) -> str:
    """One timeline line for a progress event; `event.goal` (partners only) names its item."""
    d, kind = event.details or {}, event.action
    K = ProgressAction
    if kind == K.PLAN_STARTED:
        extra = f" and {d.get('commitments')} commitments" if d.get("commitments") else ""
        return f"Action plan started: {d.get('items', 0)} goals{extra}"
    if kind == K.PLAN_EXTENDED:
        return (
            f"{d.get('added', 0)} goals of agreement version {d.get('version')} added to the plan"
        )
    if kind == K.ITEM_UPDATED:
        goal = (getattr(event, "goal", None) or "") if partner else ""
        what = f"“{_clip(goal)}”" if goal else "A plan item"
        if d.get("from_status") != d.get("to_status"):
            return f"{what}: {_STATUS_WORDS.get(d.get('to_status'), '').lower()}"
        return f"{what} updated"
    if kind == K.PLAN_COMPLETED:
        return f"Action plan completed after {d.get('meetings_held', 0)} meetings"
    if kind in (K.COMMITMENT_DONE, K.COMMITMENT_REOPENED):
        state = "done" if kind == K.COMMITMENT_DONE else "marked not yet done"
        return f"Commitment {d.get('position', 0) + 1} {state}"
    if kind == K.MIDPOINT_SUBMITTED:
        return f"Midpoint review by the {d.get('role', 'partner')}"
    if kind == K.COURSE_CHANGE:
        return f"Change of course: amendment (version {d.get('amendment')}) drafted"
    if kind == K.CLOSING_PROPOSED:
        return f"The {d.get('role')} proposed: {_DECISION_WORDS.get(d.get('decision'), '')}"
    if kind == K.CLOSING_CONFIRMED:
        return f"Closing review confirmed: {_DECISION_WORDS.get(d.get('decision'), '')}"
    if kind == K.CLOSING_WITHDRAWN:
        return "Closing proposal withdrawn"
    if kind == K.RECORD_DOWNLOADED:
        return f"The {d.get('role', 'partner')} downloaded the record"
    return ProgressAction(kind).label


# Agreement events that tell the partnership's story (consent and copies are on the
# agreement's own history page).
TIMELINE_AGREEMENT_EVENTS = (
    AgreementAction.DRAFTED,
    AgreementAction.SIGNED,
    AgreementAction.IN_EFFECT,
    AgreementAction.AMENDMENT_PROPOSED,
    AgreementAction.EMAILED,
)


def timeline_events(partnership: Partnership, *, partner: bool) -> QuerySet[Event]:
    """The partnership's own, its agreements' and this app's events in order, in one query
    (index audit_partnership_timeline). For a partner each plan item's event carries the
    item's goal (`goal`); a coordinator's never does, nor sees who downloaded the record."""
    actions = [
        *PartnershipAction.values,
        *TIMELINE_AGREEMENT_EVENTS,
        *(a for a in ProgressAction.values if partner or a != ProgressAction.RECORD_DOWNLOADED),
    ]
    events = (
        audit_selectors.partnership_events(partnership.pk)
        .filter(action__in=actions)
        .select_related("actor")
    )
    if partner:
        item_id = Cast(KeyTextTransform("plan_item_id", OuterRef("details")), BigIntegerField())
        events = events.annotate(
            goal=Subquery(PlanItem.objects.filter(pk=item_id).values("goal")[:1])
        )
    return events


def timeline_entries(partnership: Partnership, *, role: str, meetings=()) -> list[TimelineEntry]:
    """The partnership's whole story in order: its own events, the agreement's, the
    meetings', and this app's. Coordinators get no partner-written text in any entry."""
    partner = role in ("mentor", "mentee")
    entries: list[TimelineEntry] = []
    agreement_url = reverse("agreements:agreement", args=[partnership.public_id])
    plan_url = _plan_url(partnership) if partner else ""
    for event in timeline_events(partnership, partner=partner):
        area = event.action.partition(".")[0]
        if area == "partnership":
            title = PartnershipAction(event.action).label
            if event.details.get("to_status"):
                title += f": {status_label(event.details['to_status'])}"
            entries.append(_entry(event, area, title, partner=partner))
        elif area == "agreement":
            title = agreement_content.event_text(event, None)
            number = event.details.get("agreement_number", 1)
            if number > 1:
                title = f"Agreement {number}: {title}"
            entries.append(_entry(event, area, title, url=agreement_url, partner=partner))
        else:
            title = progress_event_title(event, partner=partner)
            entries.append(_entry(event, area, title, url=plan_url, partner=partner))
    entries += [m for m in meetings if not m.is_due]  # what is due is listed above the timeline
    return sorted(entries, key=lambda e: e.at)


def _entry(event, kind: str, title: str, url: str = "", *, partner: bool) -> TimelineEntry:
    # Partners see each other's preferred names; the coordinator sees full names.
    actor = (
        "" if not event.actor else event.actor.display_name if partner else event.actor.full_name
    )
    return TimelineEntry(
        at=event.at,
        kind=f"{kind}.{event.kind}",
        title=title,
        detail=f"by {actor}" if actor else "",
        url=url,
    )


def partner_role(partnership: Partnership, user) -> str:
    """The mentor or mentee changing their progress; anyone else: PermissionDenied."""
    role = partnership.role_of(user)
    if role is None:
        raise PermissionDenied("Only the mentor and mentee can change their progress.")
    return role


def failing_reminders(program_id: int, *, limit: int = 200) -> QuerySet[Reminder]:
    """The program's reminders the mail server refused and that wait for their next try
    (they are retried until sent), for the Deliveries page: kind, recipient's address and
    dates only. Access is the caller's (the coordinator's program)."""
    return (
        Reminder.objects.filter(
            partnership__program_id=program_id,
            sent_at__isnull=True,
            cancelled_at__isnull=True,
            attempts__gt=0,
        )
        .select_related("recipient")
        .only("kind", "due_at", "failed_at", "attempts", "created_at", "recipient__email")
        .order_by("-attempts", "due_at", "id")[:limit]
    )
