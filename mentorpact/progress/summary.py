"""What the progress pages show, shaped for their templates (reads only)."""

from dataclasses import dataclass

from mentorpact.lib.dates import in_zone
from mentorpact.partnerships.models import Partnership
from mentorpact.progress import goals
from mentorpact.progress.models import (
    ActionPlan,
    ClosingReview,
    MidpointReview,
    PlanItem,
    ThankYouNote,
)
from mentorpact.progress.selectors import PartnershipProgress

_ASSESSMENTS = dict(MidpointReview.Assessment.choices)
_OUTCOMES = dict(ClosingReview.Outcome.choices)


def goals_preview(progress: PartnershipProgress) -> list[goals.GoalSource]:
    """The goals that starting the plan will turn into items."""
    if progress.standing is None or progress.plan is not None:
        return []
    return goals.goal_sources(progress.standing.template, progress.standing.content)


def amended_since_plan(progress: PartnershipProgress) -> bool:
    plan, standing = progress.plan, progress.standing
    return bool(
        plan
        and standing
        and standing.agreement.pk == plan.agreement_id
        and standing.version.number > plan.source_version
    )


def earlier_plans(partnership: Partnership, plan: ActionPlan | None) -> list[ActionPlan]:
    """Plans of earlier agreements of a continued partnership, kept as they were."""
    plans = ActionPlan.objects.filter(partnership=partnership).select_related("agreement")
    if plan is not None:
        plans = plans.exclude(pk=plan.pk)
    return list(plans.prefetch_related("items", "commitments").order_by("-agreement__number"))


@dataclass(frozen=True)
class GoalAnswer:
    item: PlanItem | None
    label: str
    goal: str
    choice: str
    text: str


def _answers(items: list[PlanItem], answers: dict, choice_key: str, text_key: str, words):
    by_id = {str(item.public_id): item for item in items}
    rows = []
    for key, answer in answers.items():
        item = by_id.get(key)
        rows.append(
            GoalAnswer(
                item=item,
                label=item.source_label if item else "A goal no longer in the plan",
                goal=item.goal if item else "",
                choice=words.get(answer.get(choice_key), ""),
                text=answer.get(text_key, ""),
            )
        )
    return rows


@dataclass(frozen=True)
class MidpointAnswers:
    review: MidpointReview
    rows: list[GoalAnswer]


def midpoint_answers(progress: PartnershipProgress) -> list[MidpointAnswers]:
    return [
        MidpointAnswers(
            review, _answers(progress.items, review.answers, "assessment", "comment", _ASSESSMENTS)
        )
        for review in progress.midpoint
    ]


def closing_outcomes(progress: PartnershipProgress, review: ClosingReview | None):
    if review is None or not review.outcomes:
        return []
    if progress.plan is not None and progress.plan.agreement_id == review.agreement_id:
        items = progress.items
    elif review.agreement_id is None:  # a review of no agreement has no plan to look at
        items = []
    else:
        items = list(PlanItem.objects.filter(plan__agreement_id=review.agreement_id))
    return _answers(items, review.outcomes, "outcome", "evidence", _OUTCOMES)


def sent_thank_you(progress: PartnershipProgress) -> ThankYouNote | None:
    closing = progress.closing
    if closing is None:
        return None
    return ThankYouNote.objects.filter(review=closing).first()


def thank_you_draft(progress: PartnershipProgress) -> dict[str, str]:
    """A thank-you email drawn from the record: meetings held, goals met, what was learned."""
    partnership = progress.partnership
    mentor, mentee = partnership.mentor, partnership.mentee
    closing = progress.closing
    lines = [f"Dear {mentor.get_short_name()},", ""]
    since = progress.standing.term.starts_on if progress.standing else None
    opening = f"Thank you for mentoring me in {partnership.program.name}"
    lines.append(opening + (f" since {since:%-d %B %Y}." if since else "."))
    if progress.held:
        times = "once" if progress.held == 1 else f"{progress.held} times"
        lines.append(f"We met {times}, and I am grateful for the time you gave me.")
    outcomes = closing_outcomes(progress, closing)
    for outcome, heading in (("Met", "Goals I met:"), ("Partly met", "Goals I made progress on:")):
        met = [row for row in outcomes if row.choice == outcome and row.goal]
        if met:
            lines += ["", heading] + [f"- {' '.join(row.goal.split())}" for row in met]
    learning = closing.mentee_learning.strip() if closing else ""
    if learning:
        lines += ["", "What I take away:", learning]
    lines += ["", "With thanks,", mentee.full_name]
    return {"subject": f"Thank you, {mentor.get_short_name()}", "body": "\n".join(lines)}


def local_time(moment, user) -> str:
    return in_zone(moment, getattr(user, "time_zone", None))
