"""Writes for matching: the program's questions, a person's profile and preferences, the
coordinator's pins and forbids, a run of the match and its publication.

Every write is one transaction with its audit event (details: ids, counts and question keys,
never an answer). Publishing makes each pair through pairing.services.pair, which emails both
people and fixes their agreement's due date.
"""

import datetime
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.audit import services as audit
from mentorpact.matching import engine, selectors, tasks
from mentorpact.matching.models import (
    MatchingAction,
    MatchRun,
    PairRule,
    Preference,
    Profile,
    Questionnaire,
)
from mentorpact.matching.questions import Intake, load
from mentorpact.pairing import services as pairing_services
from mentorpact.programs.models import Enrolment, Program


class MatchingError(ValidationError):
    """Nothing was written; the message says why."""


@transaction.atomic
def save_questions(
    *, program: Program, source: str, actor: User, now: datetime.datetime | None = None
) -> Intake:
    """Save the program's intake questions, or raise questions.QuestionsError (every problem,
    by line) and write nothing."""
    now = now or timezone.now()
    parsed = load(source)  # raises QuestionsError before anything is written
    questionnaire, _ = Questionnaire.objects.get_or_create(program=program)
    questionnaire.source = source
    questionnaire.updated_by = actor
    questionnaire.updated_at = now
    questionnaire.full_clean()
    questionnaire.save()
    audit.record(
        MatchingAction.QUESTIONS_SAVED,
        on=questionnaire,
        actor=actor,
        now=now,
        questions=[q.key for q in parsed.questions],
    )
    return parsed


@transaction.atomic
def save_profile(
    *,
    program: Program,
    user: User,
    role: str,
    answers: dict[str, Any],
    now: datetime.datetime | None = None,
) -> Profile:
    """Save a person's answers (already cleaned by the profile form); complete when every
    required question asked of their role is answered."""
    now = now or timezone.now()
    intake = selectors.intake(program)
    asked = intake.asked_of(role)
    kept = {q.key: answers[q.key] for q in asked if answers.get(q.key) not in (None, "", [])}
    complete = all(q.key in kept for q in asked if q.required)
    profile = Profile.objects.filter(program=program, user=user, role=role).first()
    if profile is None:
        profile = Profile(program=program, user=user, role=role, answers={})
    profile.answers = kept
    profile.completed_at = (profile.completed_at or now) if complete else None
    profile.updated_at = now
    profile.save()
    audit.record(
        MatchingAction.PROFILE_SAVED,
        on=profile,
        actor=user,
        now=now,
        role=role,
        answered=sorted(kept),
        complete=complete,
    )
    return profile


@transaction.atomic
def send_profile_reminders(
    *, program: Program, actor: User, now: datetime.datetime | None = None
) -> int:
    """Email every mentor and mentee still waiting for a partner whose profile is not
    complete (through the outbox, one a person a day). Returns how many."""
    now = now or timezone.now()
    user_ids = [
        row.user.pk
        for row in selectors.completion(program)
        if not row.completed_at and not row.paired
    ]
    if user_ids:
        day = now.date().isoformat()
        transaction.on_commit(
            lambda: tasks.send_profile_reminders.enqueue(
                program_id=program.pk, user_ids=user_ids, day=day
            )
        )
    audit.record(MatchingAction.REMINDED, on=program, actor=actor, now=now, count=len(user_ids))
    return len(user_ids)


@transaction.atomic
def rank_mentors(
    *,
    program: Program,
    mentee: User,
    mentor_ids: Sequence[str],
    now: datetime.datetime | None = None,
) -> list[Preference]:
    """Replace the mentee's ranking with `mentor_ids` (public ids, first choice first), each
    one a mentor on their shortlist, at most the program's `up_to`."""
    now = now or timezone.now()
    intake = selectors.intake(program)
    if not intake.rank_up_to:
        raise MatchingError("This program does not ask mentees to rank mentors.")
    if len(mentor_ids) > intake.rank_up_to:
        raise MatchingError(f"Rank at most {intake.rank_up_to} mentors.")
    if len(set(mentor_ids)) != len(mentor_ids):
        raise MatchingError("Each mentor may be ranked once.")
    allowed = {str(row.user.public_id): row.user for row in selectors.shortlist(program, mentee)}
    unknown = [key for key in mentor_ids if key not in allowed]
    if unknown:
        raise MatchingError("Choose mentors from your shortlist.")
    Preference.objects.filter(program=program, mentee=mentee).delete()
    made = Preference.objects.bulk_create(
        [
            Preference(program=program, mentee=mentee, mentor=allowed[key], place=place)
            for place, key in enumerate(mentor_ids, start=1)
        ]
    )
    audit.record(MatchingAction.RANKED, on=program, actor=mentee, now=now, count=len(made))
    return made


def _enrolled(program: Program, user: User, role: str) -> bool:
    return Enrolment.objects.filter(program=program, user=user, role=role).exists()


@transaction.atomic
def set_decline(
    *,
    program: Program,
    mentor: User,
    mentee: User,
    declined: bool,
    now: datetime.datetime | None = None,
) -> None:
    """The mentor declines (or no longer declines) to mentor this mentee."""
    now = now or timezone.now()
    if not _enrolled(program, mentee, Enrolment.Role.MENTEE):
        raise MatchingError("That person is not a mentee in this program.")
    rules = PairRule.objects.filter(
        program=program, mentor=mentor, mentee=mentee, kind=PairRule.Kind.DECLINED
    )
    if declined and not rules.exists():
        rule = PairRule(
            program=program,
            mentor=mentor,
            mentee=mentee,
            kind=PairRule.Kind.DECLINED,
            created_by=mentor,
            created_at=now,
        )
        rule.save()
        audit.record(MatchingAction.DECLINED, on=rule, actor=mentor, now=now, mentee=mentee.pk)
    elif not declined and rules.exists():
        rules.delete()
        audit.record(MatchingAction.UNDECLINED, on=program, actor=mentor, now=now, mentee=mentee.pk)


@transaction.atomic
def set_pair_rule(
    *,
    program: Program,
    mentor: User,
    mentee: User,
    kind: str | None,
    actor: User,
    now: datetime.datetime | None = None,
) -> None:
    """Pin or forbid a pair for the next runs (`kind` pinned / forbidden), or clear both (None)."""
    now = now or timezone.now()
    if not _enrolled(program, mentor, Enrolment.Role.MENTOR) or not _enrolled(
        program, mentee, Enrolment.Role.MENTEE
    ):
        raise MatchingError("Choose a mentor and a mentee of this program.")
    coordinator_kinds = [PairRule.Kind.PINNED, PairRule.Kind.FORBIDDEN]
    PairRule.objects.filter(
        program=program, mentor=mentor, mentee=mentee, kind__in=coordinator_kinds
    ).delete()
    if kind is None:
        audit.record(
            MatchingAction.RULE_CLEARED,
            on=program,
            actor=actor,
            now=now,
            mentor=mentor.pk,
            mentee=mentee.pk,
        )
        return
    if kind not in coordinator_kinds:
        raise MatchingError("Pin or forbid.")
    if kind == PairRule.Kind.PINNED:
        # A mentee is pinned to one mentor at most: a new pin replaces the old one.
        PairRule.objects.filter(program=program, mentee=mentee, kind=kind).delete()
    rule = PairRule(
        program=program, mentor=mentor, mentee=mentee, kind=kind, created_by=actor, created_at=now
    )
    rule.save()
    action = MatchingAction.PINNED if kind == PairRule.Kind.PINNED else MatchingAction.FORBIDDEN
    audit.record(action, on=rule, actor=actor, now=now, mentor=mentor.pk, mentee=mentee.pk)


def _result_json(result: engine.Result) -> dict[str, Any]:
    return {
        "pairs": [
            {
                "mentor": pair.mentor,
                "mentee": pair.mentee,
                "score": round(pair.score, 3),
                "pinned": pair.pinned,
                "lines": [asdict(line) for line in pair.lines],
            }
            for pair in result.pairs
        ],
        "unmatched": [asdict(unmatched) for unmatched in result.unmatched],
        "ignored_pins": [list(pin) for pin in result.ignored_pins],
        "total_score": round(result.total_score, 3),
    }


@transaction.atomic
def run_match(*, program: Program, actor: User, now: datetime.datetime | None = None) -> MatchRun:
    """Match everyone waiting (mentors with free places, mentees without a partner) and keep
    the run: its inputs, parameters and result."""
    now = now or timezone.now()
    group = selectors.cohort(program)
    questions = group.intake.engine_questions()
    result = engine.match(questions, group.mentors, group.mentees, group.constraints, group.params)
    run = MatchRun(
        program=program,
        created_by=actor,
        created_at=now,
        inputs={
            "questions": selectors.questions_source(program),
            "mentors": [asdict(person) for person in group.mentors],
            "mentees": [asdict(person) for person in group.mentees],
            "declined": sorted(list(pair) for pair in group.constraints.declined),
            "forbidden": sorted(list(pair) for pair in group.constraints.forbidden),
            "pinned": [list(pair) for pair in group.constraints.pinned],
        },
        parameters=asdict(group.params) | {"solver": "scipy.optimize.linear_sum_assignment"},
        result=_result_json(result),
    )
    run.full_clean()
    run.save()
    audit.record(
        MatchingAction.RUN,
        on=run,
        actor=actor,
        now=now,
        pairs=len(result.pairs),
        unmatched=len(result.unmatched),
    )
    return run


@transaction.atomic
def publish_run(*, run: MatchRun, actor: User, now: datetime.datetime | None = None) -> int:
    """Make every pair of the run a partnership (pairing.services.pair: emails, due dates),
    all or nothing. Refused for a run already published or overtaken by a later one."""
    now = now or timezone.now()
    if run.published_at is not None:
        raise MatchingError("This match has already been published.")
    latest = MatchRun.objects.filter(program=run.program).order_by("-created_at", "-pk").first()
    if latest is not None and latest.pk != run.pk:
        raise MatchingError("A later match has been run: review and publish that one.")
    if not run.result["pairs"]:
        raise MatchingError("This match paired nobody: there is nothing to publish.")
    keys = {pair["mentor"] for pair in run.result["pairs"]} | {
        pair["mentee"] for pair in run.result["pairs"]
    }
    users = {str(user.public_id): user for user in User.objects.filter(public_id__in=keys)}
    problems = []
    for pair in run.result["pairs"]:
        mentor, mentee = users.get(pair["mentor"]), users.get(pair["mentee"])
        if mentor is None or mentee is None:
            problems.append("Someone in this match no longer has an account.")
            continue
        try:
            pairing_services.pair(
                program=run.program, mentor=mentor, mentee=mentee, actor=actor, now=now
            )
        except pairing_services.PairingError as error:
            problems += [
                message for messages in error.message_dict.values() for message in messages
            ]
    if problems:
        raise MatchingError(problems)
    run.published_at = now
    run.published_by = actor
    run.save(update_fields=["published_at", "published_by"])
    audit.record(
        MatchingAction.PUBLISHED, on=run, actor=actor, now=now, pairs=len(run.result["pairs"])
    )
    return len(run.result["pairs"])
