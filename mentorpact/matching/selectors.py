"""Reads for matching, and who may see what.

Access: the coordinator's pages use programs.selectors.get_program_for_coordinator (partners
403, outsiders 404); a person's own profile, shortlist and mentee list use
`get_enrolment_for_person` (the program's coordinators 403, outsiders 404).
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404

from mentorpact.accounts.models import User
from mentorpact.matching import engine
from mentorpact.matching.models import MatchRun, PairRule, Preference, Profile, Questionnaire
from mentorpact.matching.questions import EMPTY, Intake, IntakeQuestion, QuestionsError, load
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program

PARTNER_ROLES = (Enrolment.Role.MENTOR, Enrolment.Role.MENTEE)


def questions_source(program: Program) -> str:
    return (
        Questionnaire.objects.filter(program=program).values_list("source", flat=True).first() or ""
    )


def intake(program: Program) -> Intake:
    """The program's questions (saved sources are always valid: the service checks them)."""
    try:
        return load(questions_source(program))
    except QuestionsError:  # pragma: no cover - a source saved before a format change
        return EMPTY


def get_enrolment_for_person(user: Any, public_id: Any, role: str | None = None) -> Enrolment:
    """The person's mentor or mentee enrolment in the program (the given role, else the
    first); 403 for a coordinator without one, 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    enrolments = list(
        Enrolment.objects.filter(user=user, program__public_id=public_id).select_related("program")
    )
    if not enrolments:
        raise Http404
    for enrolment in enrolments:
        if enrolment.role in PARTNER_ROLES and role in (None, enrolment.role):
            return enrolment
    raise PermissionDenied("Only the program's mentors and mentees have a matching profile.")


def get_run_for_coordinator(user: Any, public_id: Any) -> MatchRun:
    run = MatchRun.objects.select_related("program").filter(public_id=public_id).first()
    if run is None or not user.is_authenticated:
        raise Http404
    roles = set(
        Enrolment.objects.filter(user=user, program=run.program).values_list("role", flat=True)
    )
    if not roles:
        raise Http404
    if Enrolment.Role.COORDINATOR not in roles:
        raise PermissionDenied("Only the program's coordinators can review a match.")
    return run


def profile_of(program: Program, user: User, role: str) -> Profile | None:
    return Profile.objects.filter(program=program, user=user, role=role).first()


@dataclass(frozen=True)
class CompletionRow:
    user: User
    role: str
    completed_at: Any
    paired: bool
    shared: list[tuple[str, str]]


def completion(program: Program) -> list[CompletionRow]:
    """Every mentor and mentee with whether their profile is complete and whether they still
    wait for a match (a mentee without a partner, a mentor with a free place); three queries."""
    program_intake = intake(program)
    # Free-text answers the question says the coordinator sees (shown_to_coordinator); no
    # other free text is read here.
    shared_questions = [
        q for q in program_intake.questions if q.kind == "text" and q.shown_to_coordinator
    ]
    done = {}
    shared: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for user_id, role, completed_at, answers in Profile.objects.filter(program=program).values_list(
        "user_id", "role", "completed_at", "answers"
    ):
        done[(user_id, role)] = completed_at
        shared[(user_id, role)] = [
            (q.label, str(answers[q.key]))
            for q in shared_questions
            if q.asked(role) and answers.get(q.key)
        ]
    open_pairs = list(
        Partnership.objects.filter(
            program=program, status__in=Partnership.OPEN_STATUSES
        ).values_list("mentor_id", "mentee_id")
    )
    paired = {mentee_id for _, mentee_id in open_pairs}
    taken = Counter(mentor_id for mentor_id, _ in open_pairs)
    rows = []
    for enrolment in (
        Enrolment.objects.filter(program=program, role__in=PARTNER_ROLES)
        .select_related("user")
        .order_by("role", "user__full_name")
    ):
        if enrolment.role == Enrolment.Role.MENTEE:
            done_waiting = enrolment.user_id in paired
        else:  # a mentor with no free place waits for nothing
            done_waiting = taken[enrolment.user_id] >= enrolment.capacity
        rows.append(
            CompletionRow(
                enrolment.user,
                enrolment.role,
                done.get((enrolment.user_id, enrolment.role)),
                done_waiting,
                shared.get((enrolment.user_id, enrolment.role), []),
            )
        )
    return rows


def compared_answers(intake: Intake, answers: dict, role: str) -> dict:
    """The answers the match compares (never free text), for inputs and the shortlist."""
    keys = {q.key for q in intake.asked_of(role) if q.kind != "text"}
    return {key: value for key, value in answers.items() if key in keys}


def shown_answers(intake: Intake, answers: dict, role: str) -> list[tuple[IntakeQuestion, str]]:
    """(question, answer as text) for the compared questions a person answered."""
    shown = []
    for question in intake.asked_of(role):
        value = answers.get(question.key)
        if question.kind == "text" or value in (None, "", []):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v).replace("_", " ") for v in value)
        shown.append((question, str(value)))
    return shown


@dataclass
class Cohort:
    """Everyone the match considers: mentors with free places, mentees without a partner."""

    program: Program
    intake: Intake
    mentors: list[engine.Person]
    mentees: list[engine.Person]
    users: dict[str, User]
    constraints: engine.Constraints
    params: engine.Params


def cohort(program: Program) -> Cohort:
    program_intake = intake(program)
    answers = {
        (p.user_id, p.role): p.answers
        for p in Profile.objects.filter(program=program, completed_at__isnull=False)
    }
    open_statuses = Partnership.OPEN_STATUSES
    mentors = []
    users: dict[str, User] = {}
    for enrolment in (
        Enrolment.objects.filter(program=program, role=Enrolment.Role.MENTOR)
        .select_related("user")
        .annotate(
            taken=Count(
                "user__mentoring",
                filter=Q(
                    user__mentoring__program=program, user__mentoring__status__in=open_statuses
                ),
            )
        )
        .order_by("user__full_name", "pk")
    ):
        free = enrolment.capacity - enrolment.taken  # type: ignore[attr-defined]
        if free <= 0:
            continue
        user = enrolment.user
        key = str(user.public_id)
        users[key] = user
        mentors.append(
            engine.Person(
                key,
                user.full_name,
                compared_answers(program_intake, answers.get((user.pk, "mentor"), {}), "mentor"),
                capacity=free,
                zone=user.time_zone,
            )
        )
    ranking: dict[int, list[str]] = {}
    for mentee_id, mentor_key in Preference.objects.filter(program=program).values_list(
        "mentee_id", "mentor__public_id"
    ):
        ranking.setdefault(mentee_id, []).append(str(mentor_key))
    paired = set(
        Partnership.objects.filter(program=program, status__in=open_statuses).values_list(
            "mentee_id", flat=True
        )
    )
    mentees = []
    for waiting in (
        Enrolment.objects.filter(program=program, role=Enrolment.Role.MENTEE)
        .exclude(user_id__in=paired)
        .select_related("user")
        .order_by("user__full_name", "pk")
    ):
        user = waiting.user
        key = str(user.public_id)
        users[key] = user
        mentees.append(
            engine.Person(
                key,
                user.full_name,
                compared_answers(program_intake, answers.get((user.pk, "mentee"), {}), "mentee"),
                zone=user.time_zone,
                ranking=tuple(ranking.get(user.pk, ())),
            )
        )
    rules: dict[str, list[tuple[str, str]]] = {kind: [] for kind in PairRule.Kind.values}
    for kind, mentor_key, mentee_key in PairRule.objects.filter(program=program).values_list(
        "kind", "mentor__public_id", "mentee__public_id"
    ):
        rules[kind].append((str(mentor_key), str(mentee_key)))
    return Cohort(
        program,
        program_intake,
        mentors,
        mentees,
        users,
        engine.Constraints(
            declined=frozenset(rules[PairRule.Kind.DECLINED]),
            forbidden=frozenset(rules[PairRule.Kind.FORBIDDEN]),
            pinned=tuple(sorted(rules[PairRule.Kind.PINNED])),
        ),
        engine.Params(
            rank_weight=float(program_intake.rank_weight),
            max_rank=max(program_intake.rank_up_to, 1),
        ),
    )


@dataclass(frozen=True)
class ShortlistRow:
    user: User
    answers: list[tuple[IntakeQuestion, str]]
    place: int | None


def shortlist(program: Program, mentee: User) -> list[ShortlistRow]:
    """The mentors who fit this mentee (no hard constraint against them), best score first,
    up to the program's shortlist size; the ones the mentee ranked always included."""
    group = cohort(program)
    key = str(mentee.public_id)
    me = next((p for p in group.mentees if p.id == key), None)
    if me is None or not group.mentors:
        return []
    unranked = engine.Person(me.id, me.name, me.answers, zone=me.zone)
    # The mentee's own ranking is left out of the score, so the list does not feed itself.
    grid = engine.table(
        group.intake.engine_questions(), group.mentors, [unranked], group.constraints, group.params
    )
    order = sorted(
        (column for column in range(len(group.mentors)) if grid.allowed[0, column]),
        key=lambda column: (-grid.scores[0, column], group.mentors[column].name),
    )
    places = {mentor_key: i + 1 for i, mentor_key in enumerate(me.ranking)}
    chosen = order[: group.intake.shortlist]
    chosen += [c for c in order[group.intake.shortlist :] if group.mentors[c].id in places]
    mentor_answers = {
        p.user_id: p.answers
        for p in Profile.objects.filter(program=program, role=Enrolment.Role.MENTOR)
    }
    rows = []
    for column in chosen:
        user = group.users[str(group.mentors[column].id)]
        rows.append(
            ShortlistRow(
                user,
                shown_answers(group.intake, mentor_answers.get(user.pk, {}), "mentor"),
                places.get(str(user.public_id)),
            )
        )
    return rows


@dataclass(frozen=True)
class MenteeRow:
    user: User
    answers: list[tuple[IntakeQuestion, str]]
    declined: bool
    ranked_me: int | None


def mentees_for_mentor(program: Program, mentor: User) -> list[MenteeRow]:
    """The program's mentees waiting for a mentor, as a mentor sees them: name, compared
    answers, whether this mentor declined them, and the place they gave this mentor."""
    program_intake = intake(program)
    declined = set(
        PairRule.objects.filter(
            program=program, mentor=mentor, kind=PairRule.Kind.DECLINED
        ).values_list("mentee_id", flat=True)
    )
    ranked = dict(
        Preference.objects.filter(program=program, mentor=mentor).values_list("mentee_id", "place")
    )
    answers = {
        p.user_id: p.answers
        for p in Profile.objects.filter(program=program, role=Enrolment.Role.MENTEE)
    }
    paired = Partnership.objects.filter(
        program=program, status__in=Partnership.OPEN_STATUSES
    ).values("mentee_id")
    rows = []
    for enrolment in (
        Enrolment.objects.filter(program=program, role=Enrolment.Role.MENTEE)
        .exclude(user_id__in=paired)
        .exclude(user=mentor)
        .select_related("user")
        .order_by("user__full_name")
    ):
        user = enrolment.user
        rows.append(
            MenteeRow(
                user,
                shown_answers(program_intake, answers.get(user.pk, {}), "mentee"),
                user.pk in declined,
                ranked.get(user.pk),
            )
        )
    return rows


def runs(program: Program) -> list[MatchRun]:
    return list(MatchRun.objects.filter(program=program).select_related("created_by")[:20])


def pair_rules(program: Program) -> list[PairRule]:
    return list(
        PairRule.objects.filter(
            program=program, kind__in=[PairRule.Kind.PINNED, PairRule.Kind.FORBIDDEN]
        ).select_related("mentor", "mentee")
    )


@dataclass(frozen=True)
class ProfileLink:
    program: Program
    role: str
    complete: bool


def profiles_to_fill(user: Any) -> list[ProfileLink]:
    """For the person's home: each program that asks them intake questions (a mentor always,
    a mentee until paired), with whether their profile is complete. Three queries."""
    enrolments = list(
        Enrolment.objects.filter(
            user=user,
            role__in=PARTNER_ROLES,
            program__questionnaire__isnull=False,
            program__archived_at__isnull=True,
        )
        .exclude(program__questionnaire__source="")
        .select_related("program")
    )
    if not enrolments:
        return []
    done = set(
        Profile.objects.filter(user=user, completed_at__isnull=False).values_list(
            "program_id", "role"
        )
    )
    paired = set(
        Partnership.objects.filter(mentee=user, status__in=Partnership.OPEN_STATUSES).values_list(
            "program_id", flat=True
        )
    )
    return [
        ProfileLink(e.program, e.role, (e.program_id, e.role) in done)
        for e in enrolments
        if not (e.role == Enrolment.Role.MENTEE and e.program_id in paired)
    ]
