"""The demo's agreements (called from mentorpact/demo.py's load_demo).

Every demo partnership that has been active has the agreement its pair signed when it became
active; Mia and Mateus (ASPE) are amending theirs; Mia and Theo (RED) are drafting, with
Theo's part written; Ingrid and Arjun (WHPRMS, overdue) have one signature of two.

Everything goes through the agreement services, in the story's order, with the clock set to
the story's dates, so the events, signatures and due-date marks read as if it had happened
then. Sealing and emailing are left to the worker; the demo's past agreements are marked
delivered so nobody is emailed about them. A partnership that already has an agreement is
left alone, so a second run changes nothing.
"""

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from unittest import mock

from django.db.models import F

from mentorpact.accounts.models import User
from mentorpact.agreements import selectors, services
from mentorpact.agreements.models import Agreement, AgreementVersion
from mentorpact.partnerships.models import Partnership

ACTIVE = Partnership.Status.ACTIVE


def _values(slug: str, mentor: User, mentee: User) -> dict[str, dict]:
    """What each partner writes, by template: {"mentee": {...}, "mentor": {...}}."""
    first_mentee, first_mentor = mentee.full_name.split()[0], mentor.full_name.split()[0]
    if slug == "red-peer-mentoring":
        return {
            "mentee": {
                "mentee_name": mentee.full_name,
                "mentee_goals": "Write my first grant proposal as a principal investigator, and "
                "learn how RSP reviews budgets before the deadline.",
                "action_plan_owner": mentee.full_name,
                "meeting_frequency": "Every three weeks, in person at the library café; a video "
                "call when one of us travels. At least monthly.",
                "accountability": "We each send a short note after every meeting with what we "
                "agreed to do, and start the next meeting with it.",
                "commitment": {"mentee": True},
            },
            "mentor": {
                "mentor_name": mentor.full_name,
                "mentor_goals": f"Help {first_mentee} find their footing with sponsors, and "
                "practise giving feedback that is specific and kind.",
                "commitment": {"mentor": True},
            },
        }
    if slug in ("aspe-partnership", "whprms-partnership"):
        shared = {
            "goal": f"{first_mentee} leads a process-safety review on their own by the end of "
            "the partnership.",
            "objectives": [
                "Shadow two hazard reviews and write up what was decided and why.",
                "Present one case study at the chapter meeting.",
                "Draft a review checklist and go through it together.",
            ],
            "months": 6,
            "schedule": "First Tuesday of each month, 8:00, plus email in between.",
            "ground_rules": "Start on time; cancel at least a day ahead; what is said stays "
            "between us.",
            "feedback_method": "Ten minutes at the end of every meeting: what helped, what to "
            "change.",
        }
        if slug == "aspe-partnership":
            shared["meeting_modes"] = {"face_to_face": 2, "phone": 1, "email": 6, "skype": 3}
        else:
            shared["meeting_modes"] = {
                "face_to_face": 2,
                "phone": 2,
                "email": 6,
                "other": 2,
                "other_label": "Teams",
            }
            shared["learning_opportunities"] = [
                {"opportunity": "Annual conference workshop", "venue": "WHPRMS conference"},
                {"opportunity": "Site visit to a partner plant", "venue": "Riverside works"},
            ]
        return {
            "mentee": {**shared, "confidentiality": {"mentee": True}},
            "mentor": {"confidentiality": {"mentor": True}},
        }
    if slug == "university-pilot":
        return {
            "mentee": {
                "confidentiality": {"mentee": True},
                "meeting_count": 4,
                "organiser": "mentee",
                "meeting_modes": ["online", "face_to_face"],
                "communication": "Email; each of us answers within three working days, even "
                "if only to say when a full answer will come.",
                "cancellation": "Cancel by email at least 24 hours before and offer two new times.",
                "mentee_goals": [
                    {
                        "goal": "Decide whether to apply for the team-lead post in spring.",
                        "measure": "I have talked to two team leads and made the decision.",
                    },
                    {
                        "goal": "Run my first workshop for new staff.",
                        "measure": "It has happened and I have the participants' feedback.",
                    },
                ],
            },
            "mentor": {"confidentiality": {"mentor": True}},
        }
    if slug == "remote-planning":
        return {
            "mentee": {
                "purpose": f"{first_mentor} helps {first_mentee} grow from individual "
                "contributor to someone who leads projects across time zones.",
                "short_term_goals": [{"goal": "Run the next quarterly planning for my team."}],
                "long_term_goals": [{"goal": "Be ready for a staff-engineer role in two years."}],
                "timeframe": "Six months, with a mid-point check in month three.",
                "end_date": "2026-12-18",
                "meeting_plan": "45 minutes every other Thursday on video.",
                "contingency_plan": "If a call is missed, we move it within the same week; "
                "if we miss two, we talk about whether the plan still fits.",
            },
            "mentor": {
                "turnaround": "Replies within two working days.",
                "feedback_preferences": "Direct, in writing first, then talked through.",
            },
        }
    raise ValueError(f"no demo values for the template {slug!r}")


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    """The services' clock at `moment`, one second further at each reading (so events keep
    their order)."""
    seconds = itertools.count()
    with mock.patch(
        "django.utils.timezone.now",
        side_effect=lambda: moment + timedelta(seconds=next(seconds)),
    ):
        yield


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _draft(agreement: Agreement) -> AgreementVersion:
    draft = selectors.draft_version(agreement)
    assert draft is not None, "each step of a story follows one that left a draft"
    return draft


def _save(partnership: Partnership, role: str, values: dict) -> None:
    agreement = partnership.agreements.get()
    services.save_draft(
        agreement=agreement,
        user=getattr(partnership, role),
        values=values,
        based_on_revision=_draft(agreement).revision,
    )


def _sign(partnership: Partnership, role: str) -> None:
    agreement = partnership.agreements.get()
    user = getattr(partnership, role)
    version = _draft(agreement)
    services.give_esign_consent(user=user, agreement=agreement, ip=None, user_agent="")
    services.sign_agreement(
        version=version,
        user=user,
        typed_name=user.full_name,
        intent_statement=selectors.signing_statement(version=version, user=user, role=role),
        ip=None,
        user_agent="Mentorpact demo",
        content_sha256_shown=version.content_sha256,
        revision_shown=version.revision,
    )


def _amend(partnership: Partnership, role: str, values: dict) -> None:
    agreement = partnership.agreements.get()
    services.propose_amendment(agreement=agreement, user=getattr(partnership, role))
    _save(partnership, role, values)


Step = tuple[datetime, Callable[[], object]]


def _story(partnership: Partnership, matched: date, active: date | None, slug: str) -> list[Step]:
    values = _values(slug, partnership.mentor, partnership.mentee)
    end = active or matched + timedelta(days=8)
    span = max((end - matched).days, 4)
    steps: list[Step] = [
        (_at(matched, 11), lambda: services.start_agreement(partnership=partnership, actor=None)),
        (
            _at(matched + timedelta(days=span // 4), 11),
            lambda: _save(partnership, "mentee", values["mentee"]),
        ),
    ]
    steps.append(
        (
            _at(matched + timedelta(days=span // 2), 15),
            lambda: _save(partnership, "mentor", values["mentor"]),
        )
    )
    if active is not None:
        # The mentor signs the day before; the mentee's signature puts it in effect.
        steps.append((_at(active - timedelta(days=1), 17), lambda: _sign(partnership, "mentor")))
        steps.append((_at(active, 10), lambda: _sign(partnership, "mentee")))
    return steps


def ensure_agreements(programs, users: dict[str, User]) -> None:
    """The demo's agreements for `programs` (mentorpact.demo.PROGRAMS); see the docstring."""
    steps: list[Step] = []
    started: list[Partnership] = []
    for spec in programs:
        for pair in spec.pairs:
            partnership = Partnership.objects.select_related("mentor", "mentee").get(
                program__name=spec.name, mentor=users[pair.mentor], mentee=users[pair.mentee]
            )
            if partnership.agreements.exists():
                continue
            matched = pair.history[0][1]
            active = next((day for status, day in pair.history if status == ACTIVE), None)
            names = (pair.mentor.split("@")[0], pair.mentee.split("@")[0])
            if active is None and names not in (("mia", "theo"), ("ingrid.larsen", "arjun.nair")):
                continue  # most new pairs have not opened their agreement yet
            story = _story(partnership, matched, active, spec.template_slug)
            if names == ("mia", "theo") and active is None:
                story = story[:2]  # Theo has written his part; Mia has not started hers
            if names == ("ingrid.larsen", "arjun.nair"):
                # Overdue: Arjun signed on time, Ingrid never has.
                story.append((_at(date(2026, 10, 9), 16), partial(_sign, partnership, "mentee")))
            if names == ("mia", "mateus.silva"):
                story.append(
                    (
                        _at(date(2026, 11, 20), 14),
                        partial(
                            _amend,
                            partnership,
                            "mentor",
                            {
                                "months": 9,
                                "schedule": "First and third Tuesday of each month, 8:00, "
                                "plus email in between.",
                            },
                        ),
                    )
                )
            steps += story
            started.append(partnership)
    # One timeline for everyone: a person's consent comes before any signature of theirs.
    # The partnerships' statuses are already today's, so the replay of a closed partnership's
    # past lifts the closed-record guard, as it sets the clock; nothing else does.
    with mock.patch.object(services, "ensure_partnership_open"):
        for moment, step in sorted(steps, key=lambda s: s[0]):
            with _clock(moment):
                step()
    # The story's signed agreements were delivered when they were signed: no emails now.
    AgreementVersion.objects.filter(
        agreement__partnership__in=started,
        status__in=AgreementVersion.SIGNED_STATUSES,
        delivered_at__isnull=True,
    ).update(delivered_at=F("effective_at"))
