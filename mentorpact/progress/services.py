"""Writes for the action plan, the midpoint check, the closing review and the thank-you note.

Every write checks that the actor is one of the partners and that the partnership is still
open: after closing, its record can be read. Concurrent edits by the two partners use
conditional UPDATEs on a `version` column (SQLite ignores select_for_update), so a save based
on what the partner has since changed is refused with `StaleEdit`, and nothing is lost: the
view shows the person's own text again beside the partner's change.
"""

import datetime
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.agreement_templates.rules import effective_rules
from mentorpact.agreements import services as agreement_services
from mentorpact.agreements.models import Agreement, AgreementVersion
from mentorpact.audit import services as audit
from mentorpact.audit.models import Event
from mentorpact.lib.dates import long_date
from mentorpact.meetings import selectors as meeting_selectors
from mentorpact.meetings import services as meeting_services
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership
from mentorpact.partnerships.selectors import closed_message
from mentorpact.progress import due_rows, goals, selectors
from mentorpact.progress.models import (
    ActionPlan,
    ClosingReview,
    Commitment,
    MidpointReview,
    PlanItem,
    ProgressAction,
    ThankYouNote,
)

NOT_SIGNED_MESSAGE = (
    "The action plan is made from the goals of the signed agreement. Sign the agreement first; "
    "nothing you have written is lost."
)


class ProgressError(Exception):
    """A refused change: `message` says why, `field` names the form field it belongs beside."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEdit(ProgressError):
    """The partner saved first. Nothing was written; `current` is what they saved."""

    def __init__(self, current, who: str, changed: list[str]):
        self.current = current
        what = " and ".join([", ".join(changed[:-1]), changed[-1]] if len(changed) > 1 else changed)
        what = what or "it"
        super().__init__(
            f"{who} changed {what} while you were editing, so your save was not applied. "
            "Your text is kept below: check it against their change and save again."
        )


# --- Guards ---------------------------------------------------------------------------------


def ensure_open(partnership: Partnership) -> None:
    """Refuse any change to a closed partnership (read fresh: a page may be old)."""
    message = closed_message(partnership, fresh=True)
    if message:
        raise ProgressError(message)


def ensure_plan_editable(plan: ActionPlan) -> None:
    ensure_open(plan.partnership)
    closed = ClosingReview.objects.filter(
        agreement_id=plan.agreement_id, status=ClosingReview.Status.CONFIRMED
    ).exists()
    if closed:
        raise ProgressError(
            f"This plan belongs to agreement {plan.agreement.number}, whose closing review is "
            "done: it is kept as it was. The new agreement gets a plan of its own."
        )


def _event(
    partnership: Partnership,
    action: str,
    *,
    actor: User | None,
    plan_item: PlanItem | None = None,
    now: datetime.datetime | None = None,
    **details: Any,
) -> Event:
    if plan_item is not None:
        details["plan_item_id"] = plan_item.pk
    return audit.record(action, on=partnership, actor=actor, now=now, **details)


# --- The action plan ------------------------------------------------------------------------


def _require_standing(partnership: Partnership) -> selectors.Standing:
    standing = selectors.standing_of(partnership)
    if standing is None:
        raise ProgressError(NOT_SIGNED_MESSAGE)
    return standing


def _plan_items(
    plan: ActionPlan,
    sources: list[goals.GoalSource],
    owner,
    start: int,
    now: datetime.datetime,
):
    owner_role, owner_name = owner
    return [
        PlanItem(
            plan=plan,
            position=start + i,
            source_key=source.key,
            source_label=source.label,
            horizon=source.horizon,
            goal=source.goal,
            measure=source.measure,
            due_on=source.due_on,
            owner=owner_role,
            owner_name=owner_name,
            updated_at=now,
        )
        for i, source in enumerate(sources)
    ]


@transaction.atomic
def start_action_plan(
    *, partnership: Partnership, actor: User, now: datetime.datetime | None = None
) -> ActionPlan:
    """The action plan of the agreement in effect, made from its goals (see goals.py).

    Idempotent: when both partners start it at once, the second gets the first one's plan
    (the unique agreement column refuses a second row)."""
    selectors.partner_role(partnership, actor)
    ensure_open(partnership)
    return record_action_plan(
        partnership=partnership, standing=_require_standing(partnership), actor=actor, now=now
    )


@transaction.atomic
def record_action_plan(
    *,
    partnership: Partnership,
    standing: selectors.Standing,
    actor: User | None,
    now: datetime.datetime | None = None,
) -> ActionPlan:
    """Make the plan of `standing`'s agreement, without start_action_plan's checks of who
    and when (a midpoint review or a closing review makes the plan it needs)."""
    existing = ActionPlan.objects.filter(agreement=standing.agreement).first()
    if existing is not None:
        return existing
    plan = ActionPlan(
        partnership=partnership,
        agreement=standing.agreement,
        source_version=standing.version.number,
        created_by=actor,
        created_at=now or timezone.now(),
    )
    plan.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        return ActionPlan.objects.get(agreement=standing.agreement)
    sources = goals.goal_sources(standing.template, standing.content)
    owner = goals.default_owner(standing.template, standing.content)
    PlanItem.objects.bulk_create(_plan_items(plan, sources, owner, 0, now=plan.created_at))
    commitments = goals.commitment_sources(standing.template, standing.content)
    Commitment.objects.bulk_create(
        Commitment(plan=plan, position=i, opportunity=c.opportunity, venue=c.venue)
        for i, c in enumerate(commitments)
    )
    _event(
        partnership,
        ProgressAction.PLAN_STARTED,
        actor=actor,
        now=plan.created_at,
        agreement=standing.agreement.number,
        version=standing.version.number,
        items=len(sources),
        commitments=len(commitments),
    )
    due_rows.refresh(plan.partnership, now=now)
    return plan


@transaction.atomic
def add_amended_goals(*, plan: ActionPlan, actor: User) -> int:
    """Add the goals of an amendment signed since the plan was made; return how many.

    Goals already in the plan (same field, same text) are not added again; items whose goal
    the amendment removed stay, for the pair to mark dropped."""
    selectors.partner_role(plan.partnership, actor)
    ensure_plan_editable(plan)
    standing = _require_standing(plan.partnership)
    if standing.agreement.pk != plan.agreement_id or standing.version.number <= plan.source_version:
        return 0
    # Claim the step from the old source version to the new one: of two partners pressing
    # the button at once, only one adds the goals.
    claimed = ActionPlan.objects.filter(pk=plan.pk, source_version=plan.source_version).update(
        source_version=standing.version.number
    )
    if claimed != 1:
        return 0
    known = set(plan.items.values_list("source_key", "goal"))
    new = [
        source
        for source in goals.goal_sources(standing.template, standing.content)
        if (source.key, source.goal) not in known
    ]
    start = (plan.items.aggregate(n=Max("position"))["n"] or -1) + 1
    owner = goals.default_owner(standing.template, standing.content)
    PlanItem.objects.bulk_create(_plan_items(plan, new, owner, start, now=timezone.now()))
    plan.source_version = standing.version.number
    _event(
        plan.partnership,
        ProgressAction.PLAN_EXTENDED,
        actor=actor,
        version=standing.version.number,
        added=len(new),
    )
    return len(new)


@dataclass(frozen=True)
class ItemChanges:
    status: str
    action_steps: str
    measure: str
    owner: str
    owner_name: str
    due_on: datetime.date | None
    progress_note: str


ITEM_FIELD_LABELS = {
    "status": "the status",
    "action_steps": "the action steps",
    "measure": "how success is measured",
    "owner": "the owner",
    "owner_name": "the owner's name",
    "due_on": "the due date",
    "progress_note": "the progress note",
}


@transaction.atomic
def update_plan_item(
    *,
    item: PlanItem,
    actor: User,
    changes: ItemChanges,
    based_on_version: int,
    now: datetime.datetime | None = None,
) -> PlanItem:
    """Save a plan item as one partner edited it; StaleEdit when the other saved first."""
    plan = item.plan
    selectors.partner_role(plan.partnership, actor)
    ensure_plan_editable(plan)
    values = {
        "status": changes.status,
        "action_steps": changes.action_steps.strip(),
        "measure": changes.measure.strip(),
        "owner": changes.owner,
        "owner_name": changes.owner_name.strip() if changes.owner == "named" else "",
        "due_on": changes.due_on,
        "progress_note": changes.progress_note.strip(),
    }
    if changes.owner == PlanItem.Owner.NAMED and not values["owner_name"]:
        raise ValidationError({"owner_name": "Name the person who owns this goal."})
    candidate = PlanItem(**{**_item_values(item), **values, "plan": plan, "goal": item.goal})
    candidate.full_clean(exclude=["plan", "position"], validate_constraints=False)

    before = _item_values(item)
    if item.version != based_on_version:
        raise _stale_item(item, based_on_version, actor)
    updated = PlanItem.objects.filter(pk=item.pk, version=based_on_version).update(
        **values, version=F("version") + 1, updated_by=actor, updated_at=now or timezone.now()
    )
    if updated != 1:
        raise _stale_item(item, based_on_version, actor)
    item.refresh_from_db()
    changed = [key for key, value in values.items() if before[key] != value]
    _event(
        plan.partnership,
        ProgressAction.ITEM_UPDATED,
        actor=actor,
        plan_item=item,
        now=item.updated_at,
        from_status=before["status"],
        to_status=item.status,
        fields=changed,
        version=item.version,
    )
    return item


def _item_values(item: PlanItem) -> dict[str, Any]:
    return {key: getattr(item, key) for key in ITEM_FIELD_LABELS}


def _stale_item(item: PlanItem, based_on_version: int, actor: User) -> StaleEdit:
    """What was saved since the version the editor saw, read from the item's event rows."""
    current = PlanItem.objects.get(pk=item.pk)
    since = Event.objects.filter(
        action=ProgressAction.ITEM_UPDATED,
        details__plan_item_id=item.pk,
        details__version__gt=based_on_version,
    ).select_related("actor")
    names, fields = [], []
    for event in since:
        name = event.actor.full_name if event.actor else "someone"
        if event.actor_id == actor.pk:
            name = "you (in another window)"
        names += [name] if name not in names else []
        fields += [f for f in event.details.get("fields", []) if f not in fields]
    who = " and ".join(names) or "Your partner"
    changed = [label for key, label in ITEM_FIELD_LABELS.items() if key in fields]
    return StaleEdit(current, who[0].upper() + who[1:], changed)


@transaction.atomic
def complete_action_plan(
    *, plan: ActionPlan, actor: User, now: datetime.datetime | None = None
) -> ActionPlan:
    """Mark the plan written: every goal still pursued has action steps and a due date."""
    selectors.partner_role(plan.partnership, actor)
    ensure_plan_editable(plan)
    missing = [
        item.source_label or f"Goal {item.position + 1}"
        for item in plan.items.exclude(status=PlanItem.Status.DROPPED)
        if not item.steps or item.due_on is None
    ]
    if missing:
        raise ProgressError(
            "Give every goal action steps and a due date before marking the plan complete. "
            "Still missing: " + ", ".join(missing) + "."
        )
    held = meeting_selectors.held_meeting_count(plan.partnership)
    now = now or timezone.now()
    done = ActionPlan.objects.filter(pk=plan.pk, completed_at__isnull=True).update(
        completed_at=now, completed_by=actor, completed_after_meetings=held
    )
    if done != 1:
        raise ProgressError("The plan is already marked complete.")
    plan.completed_at, plan.completed_by, plan.completed_after_meetings = now, actor, held
    by_meeting = selectors.plan_rule(_require_standing(plan.partnership).template)
    _event(
        plan.partnership,
        ProgressAction.PLAN_COMPLETED,
        actor=actor,
        now=now,
        meetings_held=held,
        by_meeting=by_meeting,
        on_time=None if by_meeting is None else held <= by_meeting,
    )
    due_rows.refresh(plan.partnership, now=now)
    return plan


@transaction.atomic
def set_commitment_done(
    *,
    commitment: Commitment,
    actor: User,
    done: bool,
    based_on_version: int,
    now: datetime.datetime | None = None,
) -> Commitment:
    plan = commitment.plan
    selectors.partner_role(plan.partnership, actor)
    ensure_plan_editable(plan)
    now = now or timezone.now()
    updated = Commitment.objects.filter(pk=commitment.pk, version=based_on_version).update(
        done_at=now if done else None,
        done_by=actor if done else None,
        version=F("version") + 1,
    )
    if updated != 1:
        current = Commitment.objects.get(pk=commitment.pk)
        state = "done" if current.is_done else "not yet done"
        raise StaleEdit(current, "Your partner", [f"this commitment (now {state})"])
    commitment.refresh_from_db()
    _event(
        plan.partnership,
        ProgressAction.COMMITMENT_DONE if done else ProgressAction.COMMITMENT_REOPENED,
        actor=actor,
        now=now,
        position=commitment.position,
    )
    return commitment


# --- The midpoint check ---------------------------------------------------------------------


def _reviewed_items(agreement: Agreement) -> list[PlanItem]:
    """The goals a midpoint or closing review rates: the live items of the agreement's action
    plan, as the review's page shows them. A pair who never started the plan has none to rate
    (the review is their overall comment and learning), so a review never asks for an answer
    the page has no field for, whatever the form's fields are."""
    return list(
        PlanItem.objects.filter(plan__agreement=agreement).exclude(status=PlanItem.Status.DROPPED)
    )


def _validate_per_goal(
    items: list[PlanItem], answers: dict, key: str, choices, messages: tuple[str, str]
) -> dict[str, dict[str, str]]:
    """{item public_id: {key: choice, <text>: str}} for every goal, or ValidationError with
    an error per goal (form field "<key>_<item id>")."""
    cleaned, errors = {}, {}
    text_key = "comment" if key == "assessment" else "evidence"
    for item in items:
        given = answers.get(str(item.public_id)) or {}
        choice = given.get(key, "")
        if choice not in choices:
            errors[f"{key}_{item.public_id}"] = messages[0]
            continue
        text = (given.get(text_key) or "").strip()
        if len(text) > 5000:
            errors[f"{text_key}_{item.public_id}"] = messages[1]
            continue
        cleaned[str(item.public_id)] = {key: choice, text_key: text}
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def submit_midpoint_review(
    *,
    partnership: Partnership,
    actor: User,
    answers: dict,
    overall: str,
    change_course: bool,
    change_note: str = "",
    now: datetime.datetime | None = None,
) -> MidpointReview:
    """One partner's midpoint review. Changing course drafts an amendment of the agreement
    (through the agreements app), which both then edit and sign."""
    role = selectors.partner_role(partnership, actor)
    ensure_open(partnership)
    now = now or timezone.now()
    standing = _require_standing(partnership)
    items = _reviewed_items(standing.agreement)
    cleaned = _validate_per_goal(
        items,
        answers,
        "assessment",
        MidpointReview.Assessment.values,
        ("Say how this goal is going.", "Keep the comment under 5,000 characters."),
    )
    if change_course and not change_note.strip():
        raise ValidationError({"change_note": "Say what should change."})
    review = MidpointReview(
        partnership=partnership,
        agreement=standing.agreement,
        role=role,
        author=actor,
        answers=cleaned,
        overall=overall.strip(),
        change_course=change_course,
        change_note=change_note.strip() if change_course else "",
        submitted_at=now,
    )
    review.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise ProgressError("You have already submitted your midpoint review.") from None
    _event(
        partnership,
        ProgressAction.MIDPOINT_SUBMITTED,
        actor=actor,
        now=now,
        role=role,
        goals=len(cleaned),
        change_course=change_course,
    )
    if change_course:
        review.amendment_number = _start_amendment(standing.agreement, actor, now)
        review.save(update_fields=["amendment_number"])
        _event(
            partnership,
            ProgressAction.COURSE_CHANGE,
            actor=actor,
            now=now,
            amendment=review.amendment_number,
        )
    due_rows.refresh(review.partnership, now=now)
    return review


def _start_amendment(agreement: Agreement, actor: User, now: datetime.datetime) -> int:
    """The number of the amendment draft: a new one, or the one already being drafted."""
    try:
        return agreement_services.propose_amendment(agreement=agreement, user=actor, now=now).number
    except agreement_services.AgreementError:
        draft = agreement.versions.filter(status=AgreementVersion.Status.DRAFT).first()
        if draft is None:
            raise
        return draft.number


# --- Closing --------------------------------------------------------------------------------


def _learning_field(role: str) -> str:
    return f"{role}_learning"


def _validate_closing(items: list[PlanItem], outcomes: dict, learning: str) -> dict:
    """An outcome per goal (with its evidence) and a learning conclusion, or ValidationError."""
    cleaned = _validate_per_goal(
        items,
        outcomes,
        "outcome",
        ClosingReview.Outcome.values,
        ("Say whether this goal was met.", "Keep the evidence under 5,000 characters."),
    )
    if not learning.strip():
        raise ValidationError({"learning": "Write your learning conclusion."})
    return cleaned


@transaction.atomic
def propose_closing(
    *,
    partnership: Partnership,
    actor: User,
    decision: str,
    outcomes: dict,
    learning: str,
    outside_intervention: bool = False,
    now: datetime.datetime | None = None,
) -> ClosingReview:
    """Open the closing review. Concluding or continuing waits for the partner's
    confirmation; ending early is no-fault and takes effect at once (either partner may end a
    voluntary partnership), optionally asking the program for outside intervention."""
    role = selectors.partner_role(partnership, actor)
    ensure_open(partnership)
    now = now or timezone.now()
    if decision not in ClosingReview.Decision.values:
        raise ValidationError({"decision": "Choose what happens next."})
    standing = selectors.standing_of(partnership)
    end_early = decision == ClosingReview.Decision.END_EARLY
    reviewed = standing is not None and (
        ClosingReview.objects.filter(
            agreement=standing.agreement, status=ClosingReview.Status.CONFIRMED
        ).exists()
    )
    notice = _notice_given(partnership)
    if notice is not None and notice.takes_effect_at is not None:
        raise ProgressError(
            "Notice to end was given: the partnership ends on "
            f"{long_date(notice.takes_effect_at.astimezone(datetime.UTC).date())}."
        )
    if (standing is None or reviewed) and not end_early:
        raise ProgressError(
            "The closing review looks back on the signed agreement's goals; until it is "
            "signed, the partnership can only end early."
        )
    # "Either party may end the relationship with N days' notice": the end waits that long.
    rules = standing.template.rules if standing else effective_rules(partnership.program)
    takes_effect_at = (
        now + datetime.timedelta(days=rules.notice_days)
        if end_early and rules.notice_days
        else None
    )
    items, agreement = [], selectors.latest_agreement(partnership)
    if standing is not None and not reviewed:
        agreement = standing.agreement
        items = _reviewed_items(agreement)
    cleaned = _validate_closing(items, outcomes, learning)
    review = ClosingReview(
        partnership=partnership,
        agreement=agreement,
        decision=decision,
        status=ClosingReview.Status.CONFIRMED if end_early else ClosingReview.Status.PROPOSED,
        proposed_by=actor,
        proposed_role=role,
        outcomes=cleaned,
        outside_intervention=end_early and outside_intervention,
        decided_at=now if end_early else None,
        takes_effect_at=takes_effect_at,
        created_at=now,
        **{_learning_field(role): learning.strip()},
    )
    review.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise ProgressError(
            "Your partner has just proposed a closing review: read it and confirm it, or "
            "withdraw it and propose yours."
        ) from None
    _event(
        partnership,
        ProgressAction.CLOSING_PROPOSED,
        actor=actor,
        now=now,
        role=role,
        decision=decision,
        goals=len(cleaned),
        **_notice_detail(takes_effect_at),
    )
    from mentorpact.progress import tasks

    if takes_effect_at is not None:
        # Under notice the end waits: end_after_notice carries it out when the notice has
        # run; until then both partners' due lists show the date, and the other partner is
        # emailed it now.
        transaction.on_commit(lambda: tasks.notify_notice_given.enqueue(review_id=review.pk))
    elif end_early:
        _decide(review, actor, now)
        transaction.on_commit(lambda: tasks.notify_ended_early.enqueue(review_id=review.pk))
    else:
        transaction.on_commit(lambda: tasks.notify_closing_proposed.enqueue(review_id=review.pk))
    due_rows.refresh(review.partnership, now=now)
    return review


@transaction.atomic
def confirm_closing(
    *,
    review: ClosingReview,
    actor: User,
    based_on_version: int,
    outcomes: dict,
    learning: str,
    now: datetime.datetime | None = None,
) -> ClosingReview:
    """The other partner agrees (adjusting the outcomes if they see them differently) and adds
    their learning conclusion; the decision then takes effect."""
    partnership = review.partnership
    role = selectors.partner_role(partnership, actor)
    ensure_open(partnership)
    if role == review.proposed_role:
        raise ProgressError("Your partner confirms the closing review you proposed.")
    items = _reviewed_items(review.agreement) if review.agreement is not None else []
    cleaned = _validate_closing(items, outcomes, learning)
    now = now or timezone.now()
    updated = ClosingReview.objects.filter(
        pk=review.pk, version=based_on_version, status=ClosingReview.Status.PROPOSED
    ).update(
        status=ClosingReview.Status.CONFIRMED,
        confirmed_by=actor,
        outcomes=cleaned,
        decided_at=now,
        version=F("version") + 1,
        **{_learning_field(role): learning.strip()},
    )
    if updated != 1:
        current = ClosingReview.objects.get(pk=review.pk)
        if current.status == ClosingReview.Status.WITHDRAWN:
            raise ProgressError(
                "Your partner withdrew this proposal, so nothing was confirmed. Your text is "
                "kept below: propose the closing review yourself if you wish."
            )
        raise StaleEdit(current, "Your partner", ["the closing review"])
    review.refresh_from_db()
    _decide(review, actor, now)
    due_rows.refresh(review.partnership, now=now)
    return review


def _notice_detail(takes_effect_at: datetime.datetime | None) -> dict[str, Any]:
    """The proposal event's mark for an end under notice: when it takes effect."""
    return {"takes_effect_at": takes_effect_at.isoformat()} if takes_effect_at else {}


def _notice_given(partnership: Partnership) -> ClosingReview | None:
    """The notice to end early still running, if a partner gave one."""
    return ClosingReview.objects.filter(
        partnership=partnership,
        status=ClosingReview.Status.CONFIRMED,
        takes_effect_at__isnull=False,
    ).first()


def end_after_notice(*, now: datetime.datetime | None = None) -> int:
    """End each partnership whose notice to end early has run (the rule `notice_days`): the
    decision takes effect as if made then, by the partner who gave notice. The reminders
    loop runs it each pass; a partnership already ended (by another worker) is left alone.
    Returns how many ended."""
    now = now or timezone.now()
    ended = 0
    due = ClosingReview.objects.filter(
        status=ClosingReview.Status.CONFIRMED,
        takes_effect_at__lte=now,
        partnership__status__in=Partnership.OPEN_STATUSES,
    ).select_related("partnership", "proposed_by")
    for review in due:
        try:
            with transaction.atomic():
                partnership = Partnership.objects.select_for_update().get(pk=review.partnership_id)
                if not partnership.is_open:
                    continue
                review.partnership = partnership
                _decide(review, review.proposed_by, now)
                due_rows.refresh(partnership, now=now)
        except partnership_services.StaleStatus:
            continue  # another worker (or a coordinator) changed it first: nothing written
        ended += 1
        from mentorpact.progress import tasks

        transaction.on_commit(partial(tasks.notify_ended_early.enqueue, review_id=review.pk))
    return ended


def _decide(review: ClosingReview, actor: User, now: datetime.datetime) -> None:
    """Carry out a confirmed decision: the partnership's status, or the next agreement."""
    partnership = review.partnership
    _event(
        partnership,
        ProgressAction.CLOSING_CONFIRMED,
        actor=actor,
        now=now,
        decision=review.decision,
        outcomes=_outcome_counts(review),
    )
    Decision = ClosingReview.Decision
    if review.decision == Decision.CONCLUDE:
        partnership_services.change_status(
            partnership=partnership,
            to_status=Partnership.Status.CONCLUDED,
            actor=actor,
            detail={"closing_review": str(review.public_id)},
            now=now,
        )
    elif review.decision == Decision.END_EARLY:
        partnership_services.change_status(
            partnership=partnership,
            to_status=Partnership.Status.ENDED_EARLY,
            actor=actor,
            detail={"closing_review": str(review.public_id), "no_fault": True},
            now=now,
        )
        if review.outside_intervention:
            _event(partnership, ProgressAction.INTERVENTION_REQUESTED, actor=actor, now=now)
    else:
        agreement_services.start_continuation(partnership=partnership, actor=actor, now=now)
    if not partnership.is_open:
        # Ended: no meeting still to come stays in the partners' calendars.
        meeting_services.cancel_meetings_of_ended(partnership=partnership, actor=actor, now=now)


def _outcome_counts(review: ClosingReview) -> dict[str, int]:
    counts = {value: 0 for value in ClosingReview.Outcome.values}
    for answer in review.outcomes.values():
        counts[answer["outcome"]] += 1
    return counts


@transaction.atomic
def withdraw_closing(*, review: ClosingReview, actor: User, based_on_version: int) -> None:
    """Either partner withdraws an unconfirmed proposal (to propose something else)."""
    selectors.partner_role(review.partnership, actor)
    ensure_open(review.partnership)
    updated = ClosingReview.objects.filter(
        pk=review.pk, version=based_on_version, status=ClosingReview.Status.PROPOSED
    ).update(status=ClosingReview.Status.WITHDRAWN, version=F("version") + 1)
    if updated != 1:
        raise ProgressError("This proposal was confirmed or withdrawn in the meantime.")
    _event(review.partnership, ProgressAction.CLOSING_WITHDRAWN, actor=actor)
    due_rows.refresh(review.partnership)


# --- Thank-you note and the record ----------------------------------------------------------


@transaction.atomic
def send_thank_you(
    *,
    partnership: Partnership,
    actor: User,
    subject: str,
    body: str,
    now: datetime.datetime | None = None,
) -> ThankYouNote:
    """The mentee's thank-you email to the mentor, once per closing review. Sending it is the
    one thing a closed partnership still allows: it adds a note, it changes no record."""
    if selectors.partner_role(partnership, actor) != "mentee":
        raise PermissionDenied("The mentee sends the thank-you note.")
    review = selectors.last_closing(selectors.closing_reviews(partnership))
    if review is None:
        raise ProgressError("The thank-you note comes with the closing review: close it first.")
    errors = {}
    if not subject.strip():
        errors["subject"] = "Give the email a subject."
    if not body.strip():
        errors["body"] = "Write the message."
    if errors:
        raise ValidationError(errors)
    note = ThankYouNote(
        partnership=partnership,
        review=review,
        author=actor,
        subject=subject.strip(),
        body=body.strip(),
        sent_at=now or timezone.now(),
    )
    note.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:
        raise ProgressError("You have already sent your thank-you note.") from None
    _event(partnership, ProgressAction.THANK_YOU_SENT, actor=actor, now=note.sent_at)
    from mentorpact.progress import tasks

    transaction.on_commit(lambda: tasks.deliver_thank_you.enqueue(note_id=note.pk))
    return note


@transaction.atomic
def record_download(*, partnership: Partnership, actor: User) -> None:
    role = selectors.partner_role(partnership, actor)
    _event(partnership, ProgressAction.RECORD_DOWNLOADED, actor=actor, role=role)
