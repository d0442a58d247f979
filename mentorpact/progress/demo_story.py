"""The demo's partnerships after signing: action plans, the midpoint check, closing reviews
(concluded, continued, ended early), a thank-you note. Run by `manage.py load_demo` through
`mentorpact.demo.ensure_progress_stages`; "today" is 23 November 2026.

Open partnerships go through the services, as their partners would; the rows they write are
then moved to the story's dates. Partnerships the demo has already closed cannot go through
the services any more (a closed record is read-only), so their plan and closing review are
recorded directly, as history. Each stage looks for its own last row first, so a second run
changes nothing.

A pair's agreement is signed here (through the agreements app's services) when nothing has
signed it yet, with content written for the story; it then reads as signed on the day the
demo is loaded.
"""

import datetime
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC
from typing import Any

from mentorpact.accounts.models import User
from mentorpact.agreements import content as agreement_content
from mentorpact.agreements import selectors as agreement_selectors
from mentorpact.agreements import services as agreement_services
from mentorpact.agreements.models import Agreement
from mentorpact.audit import services as audit
from mentorpact.audit.models import Event
from mentorpact.partnerships.models import Partnership
from mentorpact.progress import selectors, services
from mentorpact.progress.models import (
    ActionPlan,
    ClosingReview,
    MidpointReview,
    PlanItem,
    ProgressAction,
    ThankYouNote,
)

D = datetime.date


def _email(name: str) -> str:
    return f"{name}@example.org"


# (mentor, mentee) -> (stage, the stage's day). Drafting pairs have no stage.
STAGES: dict[tuple[str, str], tuple[str, D]] = {
    # RED: a pair that reviewed its first year and continues with new goals.
    ("aiko.tanaka", "samuel.okafor"): ("continued", D(2026, 11, 18)),
    ("lucia.fernandez", "dmitri.volkov"): ("concluded", D(2026, 10, 30)),
    ("amara.nwosu", "hannah.schmidt"): ("ended_early", D(2026, 5, 11)),
    # ASPE
    ("mia", "mateus.silva"): ("plan", D(2026, 11, 19)),
    ("seun.adeyemi", "leilani.kahale"): ("concluded", D(2026, 5, 20)),
    ("sofia.rossi", "ethan.walker"): ("ended_early", D(2026, 11, 16)),  # never signed
    # WHPRMS: the mentor has done the midpoint review early; the mentee has not yet.
    ("meilin.chen", "jamal.carter"): ("midpoint_half", D(2026, 11, 20)),
    ("mia", "zainab.bello"): ("concluded", D(2026, 8, 18)),
    ("carlos.mendoza", "eleanor.whitfield"): ("ended_early_intervention", D(2026, 11, 6)),
    # Pilot
    ("tariq.aziz", "nadia.petrova"): ("plan", D(2026, 11, 12)),
    ("hiroshi.sato", "liam.oconnor"): ("concluded_thanks", D(2026, 11, 20)),
    ("ana.kovac", "fatima.elamrani"): ("ended_early", D(2026, 11, 13)),
    # Remote: Mia and Theo's midpoint check is done; their term ends on 18 December.
    ("mia", "theo"): ("midpoint", D(2026, 9, 21)),
    ("beatriz.santos", "omar.farouk"): ("concluded", D(2026, 7, 24)),
    ("chloe.dubois", "daniel.abebe"): ("ended_early", D(2026, 9, 4)),
}


def _at(day: D, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=UTC) + datetime.timedelta(
        minutes=minute
    )


# --- What each pair wrote in its agreement ---------------------------------------------------


def _months(p: Partnership) -> int:
    start, end = p.started_on, p.ends_on
    if not (start and end):
        return 3
    return max(1, (end.year - start.year) * 12 + end.month - start.month)


def _content(slug: str, p: Partnership) -> dict[str, dict]:
    """{"mentor": {...}, "mentee": {...}}: each party's answers in the program's own form."""
    mentee = p.mentee.get_short_name()
    both = {"mentor": {"mentor": True}, "mentee": {"mentee": True}}
    if slug == "red-peer-mentoring":
        return {
            "mentee": {
                "mentee_name": p.mentee.full_name,
                "mentee_goals": f"{mentee} wants to submit a first federal grant proposal and "
                "to build a network among research administrators.",
                "action_plan_owner": p.mentee.full_name,
                "meeting_frequency": "Once a month in person, email in between.",
                "accountability": "We review the action plan at every meeting.",
                "commitment": both["mentee"],
            },
            "mentor": {
                "mentor_name": p.mentor.full_name,
                "mentor_goals": "To learn how to support a new colleague well.",
                "commitment": both["mentor"],
            },
        }
    if slug in ("aspe-partnership", "whprms-partnership"):
        values: dict[str, Any] = {
            "goal": f"{mentee} becomes confident leading reviews in the field.",
            "objectives": [
                "Review two cases together",
                f"{mentee} leads one review with feedback",
                "Present the lessons at a team meeting",
            ],
            "months": _months(p),
            "meeting_modes": {"face_to_face": 2, "phone": 2, "email": 4},
            "schedule": "The first Tuesday of every month, 8:00.",
            "ground_rules": "Start on time; say so early when busy; honest, kind feedback.",
            "feedback_method": "Ten minutes at the end of each meeting on what helped.",
            "confidentiality": both["mentee"],
        }
        if slug == "whprms-partnership":
            values["learning_opportunities"] = [
                {"opportunity": "The WHPRMS annual conference", "venue": "Chicago, March"},
                {"opportunity": "Sit in on a claims review committee", "venue": "The hospital"},
            ]
        else:
            values["meeting_modes"]["skype"] = values["meeting_modes"].pop("email")
        return {"mentee": values, "mentor": {"confidentiality": both["mentor"]}}
    if slug == "university-pilot":
        return {
            "mentee": {
                "confidentiality": both["mentee"],
                "mentee_goals": [
                    {"goal": "Prepare my first fellowship application", "measure": "Submitted"},
                    {"goal": "Speak up more in lab meetings", "measure": "Once a meeting"},
                ],
            },
            "mentor": {
                "confidentiality": both["mentor"],
                "organiser": "mentee",
                "meeting_modes": ["online", "face_to_face"],
                "cancellation": "A day's notice and two new times; no reply in a week: a call.",
            },
        }
    # remote-planning
    return {
        "mentee": {
            "purpose": f"{mentee} grows into leading a small remote team.",
            "short_term_goals": [{"goal": "Run the team's sprint reviews"}],
            "long_term_goals": [{"goal": "Lead a team of five within two years"}],
            "timeframe": "Until the next performance review.",
            "end_date": (p.ends_on or D(2026, 12, 18)).isoformat(),
            "meeting_plan": "A video call every second Tuesday.",
            "contingency_plan": "Move it to Thursday; never skip two in a row.",
        },
        "mentor": {
            "ad_hoc_contact": "Chat messages any time; calls when booked.",
            "turnaround": "A reply within two working days.",
        },
    }


def _ensure_signed(p: Partnership) -> None:
    """Draft, fill in and sign the agreement through the agreements app, unless signed."""
    if p.agreements.filter(status=Agreement.Status.IN_EFFECT).exists():
        return  # signed already (a continued pair's next agreement is theirs to sign)
    agreement = agreement_services.start_agreement(partnership=p, actor=p.mentor)
    version = agreement_selectors.draft_version(agreement)
    assert version is not None, "a new agreement starts with a draft"
    slug = agreement_content.template_of(version.template_version).slug
    for role, values in _content(slug, p).items():
        version = agreement_services.save_draft(
            agreement=agreement,
            user=getattr(p, role),
            values=values,
            based_on_revision=version.revision,
        )
    for role in ("mentee", "mentor"):
        user = getattr(p, role)
        version.refresh_from_db()
        agreement_services.give_esign_consent(
            user=user, agreement=agreement, ip=None, user_agent="demo"
        )
        agreement_services.sign_agreement(
            version=version,
            user=user,
            typed_name=user.full_name,
            intent_statement=agreement_selectors.signing_statement(
                version=version, user=user, role=role
            ),
            ip=None,
            user_agent="demo",
            content_sha256_shown=version.content_sha256,
            revision_shown=version.revision,
        )


# --- Dating what the services wrote ------------------------------------------------------------


@contextmanager
def _on(p: Partnership, day: D):
    """Move the progress events written inside the block to `day`, a minute apart."""
    mine = Event.objects.filter(partnership_id=p.pk, action__in=ProgressAction.values)
    last = mine.order_by("-pk").values_list("pk").first()
    yield
    new = mine.filter(pk__gt=last[0] if last else 0)
    for minute, pk in enumerate(new.order_by("pk").values_list("pk", flat=True)):
        Event.objects.filter(pk=pk).update(at=_at(day, minute))


def _work_on(plan: ActionPlan, actor: User, day: D, statuses: list[str]) -> None:
    """Give the plan's goals steps, due dates and the given statuses (in order)."""
    p = plan.partnership
    for item, status in zip(plan.items.order_by("position"), statuses, strict=False):
        item = PlanItem.objects.select_related("plan__agreement").get(pk=item.pk)
        with _on(p, day):
            services.update_plan_item(
                item=item,
                actor=actor,
                changes=services.ItemChanges(
                    status=status,
                    action_steps="Agree the first step at our next meeting\nTry it, then report",
                    measure=item.measure or "We both agree it is done",
                    owner=item.owner,
                    owner_name=item.owner_name,
                    due_on=day + datetime.timedelta(days=45),
                    progress_note="Under way." if status == "in_progress" else "",
                ),
                based_on_version=item.version,
            )
        PlanItem.objects.filter(pk=item.pk).update(updated_at=_at(day))


def _plan(p: Partnership, day: D) -> ActionPlan:
    with _on(p, day):
        plan = services.start_action_plan(partnership=p, actor=p.mentee)
    ActionPlan.objects.filter(pk=plan.pk).update(created_at=_at(day))
    return plan


def _answers(plan: ActionPlan, key: str, value: str, text: str) -> dict:
    other = "comment" if key == "assessment" else "evidence"
    return {str(i.public_id): {key: value, other: text} for i in plan.items.all()}


# --- The stages ---------------------------------------------------------------------------------


def _stage_plan(p: Partnership, day: D) -> None:
    if ActionPlan.objects.filter(partnership=p).exists():
        return
    plan = _plan(p, day)
    _work_on(plan, p.mentee, day, ["in_progress"])


def _midpoint(p: Partnership, plan: ActionPlan, user: User, day: D) -> None:
    with _on(p, day):
        review = services.submit_midpoint_review(
            partnership=p,
            actor=user,
            answers=_answers(plan, "assessment", "on_track", "Steady progress."),
            overall="We meet as planned and the goals still fit.",
            change_course=False,
        )
    MidpointReview.objects.filter(pk=review.pk).update(submitted_at=_at(day))


def _stage_midpoint(p: Partnership, day: D, *, both: bool = True) -> None:
    if MidpointReview.objects.filter(partnership=p).exists():
        return
    start = p.started_on or day
    plan = _plan(p, start + datetime.timedelta(days=14))
    _work_on(plan, p.mentee, start + datetime.timedelta(days=21), ["done", "in_progress"])
    if plan.commitments.exists():
        commitment = plan.commitments.select_related("plan__agreement")[0]
        with _on(p, day):
            services.set_commitment_done(
                commitment=commitment, actor=p.mentee, done=True, based_on_version=1
            )
    _midpoint(p, plan, p.mentor, day)
    if both:
        _midpoint(p, plan, p.mentee, day)


def _stage_continued(p: Partnership, day: D) -> None:
    if ClosingReview.objects.filter(partnership=p).exists():
        return
    start = p.started_on or day
    plan = _plan(p, start + datetime.timedelta(days=20))
    _work_on(plan, p.mentee, start + datetime.timedelta(days=30), ["done"])
    with _on(p, start + datetime.timedelta(days=40)):
        services.complete_action_plan(plan=plan, actor=p.mentee)
    # Completed at the end of their second meeting, as RED asks.
    ActionPlan.objects.filter(pk=plan.pk).update(
        completed_at=_at(start + datetime.timedelta(days=40)), completed_after_meetings=2
    )
    outcomes = _answers(plan, "outcome", "partly", "Drafted and reviewed; submission next.")
    with _on(p, day):
        review = services.propose_closing(
            partnership=p,
            actor=p.mentee,
            decision=ClosingReview.Decision.CONTINUE,
            outcomes=outcomes,
            learning="Writing the plan down made me do the work between meetings.",
        )
        services.confirm_closing(
            review=review,
            actor=p.mentor,
            based_on_version=review.version,
            outcomes=outcomes,
            learning="Asking questions works better than giving answers.",
        )
    ClosingReview.objects.filter(pk=review.pk).update(created_at=_at(day), decided_at=_at(day))


def _record_closing(p: Partnership, day: D, stage: str) -> None:
    """A closed partnership's plan and closing review, recorded as history."""
    if ClosingReview.objects.filter(partnership=p).exists():
        return
    standing = selectors.standing_of(p)
    ended_early = stage.startswith("ended_early")
    outcomes: dict = {}
    with _on(p, p.started_on or day):
        if standing is not None:
            plan = services.record_action_plan(partnership=p, standing=standing, actor=p.mentee)
            done = "in_progress" if ended_early else "done"
            PlanItem.objects.filter(plan=plan).update(
                status=done, updated_by=p.mentee, updated_at=_at(day)
            )
            outcome = "not_met" if ended_early else "met"
            outcomes = _answers(plan, "outcome", outcome, "As recorded in our meetings.")
    review = ClosingReview.objects.create(
        partnership=p,
        agreement=standing.agreement if standing else None,
        decision=(
            ClosingReview.Decision.END_EARLY if ended_early else ClosingReview.Decision.CONCLUDE
        ),
        status=ClosingReview.Status.CONFIRMED,
        proposed_by=p.mentee if ended_early else p.mentor,
        proposed_role="mentee" if ended_early else "mentor",
        confirmed_by=None if ended_early else p.mentee,
        outcomes=outcomes,
        mentor_learning="" if ended_early else "Listening first, advising second.",
        mentee_learning=(
            "The timing was wrong for me; I know now what to ask for next time."
            if ended_early
            else "I learned to plan my own development and to ask for help early."
        ),
        outside_intervention=stage == "ended_early_intervention",
        decided_at=_at(day),
    )
    ClosingReview.objects.filter(pk=review.pk).update(created_at=_at(day))
    K = ProgressAction
    kinds = [K.CLOSING_PROPOSED, K.CLOSING_CONFIRMED]
    if review.outside_intervention:
        kinds.append(K.INTERVENTION_REQUESTED)
    for minute, kind in enumerate(kinds):
        audit.record(
            kind,
            on=p,
            actor=review.proposed_by if kind != K.CLOSING_CONFIRMED else review.confirmed_by,
            now=_at(day, minute),
            role=review.proposed_role,
            decision=review.decision,
        )
    if stage == "concluded_thanks":
        _thank_you(p, review, day)


def _thank_you(p: Partnership, review: ClosingReview, day: D) -> None:
    note = ThankYouNote.objects.create(
        partnership=p,
        review=review,
        author=p.mentee,
        subject=f"Thank you, {p.mentor.get_short_name()}",
        body=(
            f"Dear {p.mentor.get_short_name()},\n\nThank you for our meetings this autumn. "
            "I met both goals we set, and I learned to plan my own development.\n\n"
            f"With thanks,\n{p.mentee.full_name}"
        ),
        sent_at=_at(day + datetime.timedelta(days=1)),
    )
    audit.record(ProgressAction.THANK_YOU_SENT, on=p, actor=p.mentee, now=note.sent_at)


STAGE_STEPS: dict[str, Callable[[Partnership, D], None]] = {
    "plan": _stage_plan,
    "midpoint": _stage_midpoint,
    "midpoint_half": lambda p, day: _stage_midpoint(p, day, both=False),
    "continued": _stage_continued,
}


def ensure_progress_stages() -> None:
    """Bring every demo pair with a stage to it (see STAGES); idempotent."""
    pairs = {(_email(m), _email(e)): stage for (m, e), stage in STAGES.items()}
    partnerships = Partnership.objects.filter(
        mentor__email__in=[m for m, _ in pairs], mentee__email__in=[e for _, e in pairs]
    ).select_related("program", "mentor", "mentee")
    for p in partnerships.order_by("pk"):
        stage_day = pairs.get((p.mentor.email, p.mentee.email))
        if stage_day is None or p.status == Partnership.Status.DRAFTING:
            continue
        stage, day = stage_day
        if p.started_on is not None:  # it was active: its agreement was signed
            _ensure_signed(p)
        if stage in STAGE_STEPS:
            STAGE_STEPS[stage](p, day)
        else:
            _record_closing(p, day, stage)
