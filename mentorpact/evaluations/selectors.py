"""Reads for evaluations, and who may see what.

- The program's coordinators see its evaluations, their response rates and aggregates
  (`program_summary`, `evaluation_summary`), never an anonymous evaluation's answers: an
  aggregate over fewer than MIN_GROUP respondents is suppressed, and so is a role's when the
  rest (everyone minus that role) is under MIN_GROUP, so that no answer is found by taking one
  shown figure from another. A `named` evaluation's answers are theirs to read, by name.
- A partner answers their own round (`get_round_for_respondent`); nobody else sees a round.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mentorpact.evaluations import form as evaluation_form
from mentorpact.evaluations.models import Evaluation, Response, Round
from mentorpact.lib import suppression
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program
from mentorpact.programs.selectors import get_program_for_coordinator

# No count of fewer people, and no aggregate over fewer respondents, is shown: the one rule
# of lib.suppression (the dashboard follows it too).
MIN_GROUP = suppression.SMALLEST
ROLES = ("mentor", "mentee")


def parsed(evaluation: Evaluation) -> evaluation_form.EvaluationForm:
    """The evaluation's form (stored only after it loaded without a problem)."""
    return evaluation_form.load(evaluation.source)


def _coordinates(user, program_id: int) -> bool:
    return Enrolment.objects.filter(
        user=user, program_id=program_id, role=Enrolment.Role.COORDINATOR
    ).exists()


def get_evaluation_for_coordinator(user, public_id) -> Evaluation:
    """The program's coordinators; a partner in the program 403 (through the program's own
    check), anyone else 404."""
    if not user.is_authenticated:
        raise Http404
    evaluation = Evaluation.objects.select_related("program").filter(public_id=public_id).first()
    if evaluation is None:
        raise Http404
    get_program_for_coordinator(user, evaluation.program.public_id)
    return evaluation


@dataclass(frozen=True)
class Asked:
    """A partner's round, as their answer page reads it."""

    round: Round
    evaluation: Evaluation
    form: evaluation_form.EvaluationForm
    role: str
    response: Response | None

    def state(self, today: datetime.date) -> str:
        """ "closed" (by the coordinator), "early", "late" or "open"."""
        if not self.evaluation.is_open:
            return "closed"
        if today < self.round.opens_on:
            return "early"
        if today > self.round.closes_on:
            return "late"
        return "open"


def get_round_for_respondent(user, evaluation_id, code, key: str) -> Asked:
    """A partner's own round of an evaluation: either partner; the program's coordinator 403
    (they never answer for a pair, nor see a pair's round); anyone else 404."""
    if not user.is_authenticated:
        raise Http404
    found = (
        Round.objects.select_related("evaluation__program", "partnership")
        .filter(evaluation__public_id=evaluation_id, partnership__public_id=code, key=key)
        .first()
    )
    if found is None:
        raise Http404
    partnership = found.partnership
    role = partnership.role_of(user)
    if role is None:
        if _coordinates(user, partnership.program_id):
            raise PermissionDenied("Only the partners answer their evaluation.")
        raise Http404
    response = Response.objects.filter(round=found, respondent=user).first()
    return Asked(found, found.evaluation, parsed(found.evaluation), role, response)


def program_evaluations(program: Program) -> QuerySet[Evaluation]:
    return program.evaluations.order_by("-created_at", "-id")


def open_evaluations(
    program_ids: Iterable[int],
) -> dict[int, list[tuple[Evaluation, evaluation_form.EvaluationForm]]]:
    """Each program's open evaluations with their forms, in one query (progress.due reads
    them for the pairs' due items)."""
    out: dict[int, list[tuple[Evaluation, evaluation_form.EvaluationForm]]] = {}
    for evaluation in Evaluation.objects.filter(
        program_id__in=set(program_ids), status=Evaluation.Status.OPEN
    ).order_by("created_at", "id"):
        out.setdefault(evaluation.program_id, []).append((evaluation, parsed(evaluation)))
    return out


def answered_roles(partnership_ids: Iterable[int]) -> dict[tuple[int, int, str], set[str]]:
    """{(partnership id, evaluation id, round key): the roles that answered}, in one query."""
    out: dict[tuple[int, int, str], set[str]] = {}
    for partnership_id, evaluation_id, key, role in Response.objects.filter(
        round__partnership_id__in=list(partnership_ids)
    ).values_list("round__partnership_id", "round__evaluation_id", "round__key", "role"):
        out.setdefault((partnership_id, evaluation_id, key), set()).add(role)
    return out


# --- What the coordinators see ------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One aggregate: shown, or suppressed (fewer than MIN_GROUP respondents, or a role whose
    complement is)."""

    respondents: int
    shown: bool
    mean: float | None = None  # scale questions
    counts: tuple[tuple[str, int], ...] = ()  # scale and choice: (answer label, how many)


@dataclass(frozen=True)
class QuestionSummary:
    question: evaluation_form.Question
    figure: Figure


@dataclass(frozen=True)
class Summary:
    """An evaluation as its coordinators read it."""

    evaluation: Evaluation
    form: evaluation_form.EvaluationForm
    role: str  # "" (everyone), "mentor" or "mentee"
    asked: int  # partners whose round has opened
    answered: int
    questions: list[QuestionSummary] = field(default_factory=list)
    named_answers: list[tuple[str, str, dict]] = field(default_factory=list)  # named only

    @property
    def rate(self) -> int | None:
        return suppression.rate(self.answered, self.asked)

    @property
    def asked_text(self) -> str:
        return suppression.text(self.asked)

    @property
    def answered_text(self) -> str:
        return suppression.text(self.answered)

    @property
    def min_group(self) -> int:
        return MIN_GROUP


def _shown(group: int, everyone: int) -> bool:
    return suppression.aggregate_shown(group, everyone)


def _figure(question: evaluation_form.Question, values: list[str], everyone: int) -> Figure:
    respondents = len(values)
    if not _shown(respondents, everyone):
        return Figure(respondents, False)
    if question.kind == "text":
        return Figure(respondents, True)  # how many wrote something; never what
    counts = Counter(values)
    choices = question.choices
    mean = None
    if question.kind == "scale":
        numbers = [int(v) for v in values]
        mean = round(sum(numbers) / len(numbers), 1)
    return Figure(
        respondents, True, mean, tuple((label, counts[value]) for value, label in choices)
    )


def evaluation_summary(
    evaluation: Evaluation, *, role: str = "", today: datetime.date | None = None
) -> Summary:
    """Rates and aggregates, for everyone or one role. Answers are decrypted here and only
    counted; no figure leaves with fewer than MIN_GROUP respondents behind it."""
    today = today or timezone.localdate()
    if role not in ("", *ROLES):
        role = ""
    form = parsed(evaluation)
    opened = evaluation.rounds.filter(opens_on__lte=today)
    asked = opened.count() * (1 if role else 2)
    responses = list(
        Response.objects.filter(round__evaluation=evaluation).select_related("respondent")
    )
    mine = [r for r in responses if not role or r.role == role]
    questions = []
    for question in form.questions:
        # Both counts per question: an optional question's respondents are fewer.
        every = [r.answers[question.key] for r in responses if r.answers.get(question.key)]
        values = [r.answers[question.key] for r in mine if r.answers.get(question.key)]
        questions.append(QuestionSummary(question, _figure(question, values, len(every))))
    named = []
    if evaluation.named:
        named = [(r.respondent.display_name, r.role, r.answers) for r in mine]
    return Summary(evaluation, form, role, asked, len(mine), questions, named)


@dataclass(frozen=True)
class ProgramEvaluation:
    evaluation: Evaluation
    asked: int
    answered: int

    @property
    def rate(self) -> int | None:
        return suppression.rate(self.answered, self.asked)

    @property
    def asked_text(self) -> str:
        return suppression.text(self.asked)

    @property
    def answered_text(self) -> str:
        return suppression.text(self.answered)


def program_summary(
    program: Program, *, today: datetime.date | None = None
) -> list[ProgramEvaluation]:
    """Each of the program's evaluations with its response rate (partners asked so far, and
    answers in), in two queries: what a dashboard reads. The aggregates are
    `evaluation_summary`'s, suppressed as it says."""
    today = today or timezone.localdate()
    evaluations = list(
        program.evaluations.annotate(
            opened=Count("rounds", filter=Q(rounds__opens_on__lte=today), distinct=True),
        ).order_by("-created_at", "-id")
    )
    answers = dict(
        Response.objects.filter(round__evaluation__in=evaluations)
        .values("round__evaluation_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("round__evaluation_id", "n")
    )
    return [
        ProgramEvaluation(e, 2 * e.opened, answers.get(e.pk, 0))  # type: ignore[attr-defined]
        for e in evaluations
    ]


def rounds_for(user) -> QuerySet[Round]:
    """This person's rounds of open evaluations, with their own response if any: "My
    evaluations"."""
    return (
        Round.objects.filter(
            Q(partnership__mentor=user) | Q(partnership__mentee=user),
            evaluation__status=Evaluation.Status.OPEN,
        )
        .select_related("evaluation__program", "partnership")
        .annotate(mine=Count("responses", filter=Q(responses__respondent=user)))
        .order_by("closes_on", "id")
    )


def partnership_rounds(partnership: Partnership) -> QuerySet[Round]:
    return partnership.evaluation_rounds.select_related("evaluation")
