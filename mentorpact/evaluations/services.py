"""Writes for evaluations: a coordinator creates one from its YAML, edits it while nobody has
answered, and closes it (`evaluation.closed`); a partner answers their round once and edits
the answers until its deadline. progress keeps the rounds (`sync_rounds`, from due_rows).
Each an audit event with ids, counts and dates, never an answer."""

import datetime
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.audit import services as audit
from mentorpact.evaluations import form as evaluation_form
from mentorpact.evaluations.models import Evaluation, EvaluationAction, Response, Round
from mentorpact.evaluations.schedule import Occurrence
from mentorpact.evaluations.selectors import Asked
from mentorpact.partnerships import signals as partnership_signals
from mentorpact.programs import signals as program_signals
from mentorpact.programs.models import Program
from mentorpact.webhooks import services as webhooks
from mentorpact.webhooks.models import Event as WebhookEvent


class EvaluationError(Exception):
    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        errors: list[str] | None = None,
        conflict: bool = False,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or [message]
        # The saved answers differ from the page's (a second submit, an edit from an older
        # page): the page shows the saved ones again, with the message.
        self.conflict = conflict


def _load(source: str) -> evaluation_form.EvaluationForm:
    try:
        return evaluation_form.load(source)
    except evaluation_form.FormError as error:
        raise EvaluationError(
            f"The form has {len(error.errors)} problem{'s' if len(error.errors) != 1 else ''}.",
            field="source",
            errors=error.errors,
        ) from error


@transaction.atomic
def create_evaluation(
    *, program: Program, actor: User, source: str, now: datetime.datetime | None = None
) -> Evaluation:
    now = now or timezone.now()
    form = _load(source)
    evaluation = Evaluation(
        program=program,
        source=source,
        title=form.title,
        named=form.named,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    evaluation.full_clean()
    evaluation.save()
    audit.record(
        EvaluationAction.CREATED,
        on=evaluation,
        actor=actor,
        now=now,
        when=form.when,
        named=form.named,
        questions=len(form.questions),
    )
    # Every open pair's due items (and so its rounds) follow: progress listens.
    program_signals.terms_changed.send(sender=Program, program=program)
    return evaluation


@transaction.atomic
def edit_evaluation(
    *,
    evaluation: Evaluation,
    actor: User,
    source: str,
    version: int,
    now: datetime.datetime | None = None,
) -> Evaluation:
    now = now or timezone.now()
    current = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if current.version != version:
        raise EvaluationError(
            "Someone saved this evaluation since you opened it: your text is below; "
            "reload to see theirs.",
            field="source",
        )
    if not current.is_open:
        raise EvaluationError("This evaluation is closed: it can no longer change.")
    if Response.objects.filter(round__evaluation=current).exists():
        raise EvaluationError(
            "Answers have come in: the questions can no longer change. Close this evaluation "
            "and create another.",
            field="source",
        )
    form = _load(source)
    current.source = source
    current.title = form.title
    current.named = form.named
    current.version += 1
    current.updated_at = now
    current.save(update_fields=["source", "title", "named", "version", "updated_at"])
    audit.record(EvaluationAction.EDITED, on=current, actor=actor, now=now, when=form.when)
    program_signals.terms_changed.send(sender=Program, program=current.program)
    return current


@transaction.atomic
def close_evaluation(
    *, evaluation: Evaluation, actor: User, now: datetime.datetime | None = None
) -> Evaluation:
    now = now or timezone.now()
    current = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not current.is_open:
        raise EvaluationError("This evaluation is already closed.")
    current.status = Evaluation.Status.CLOSED
    current.closed_at = now
    current.save(update_fields=["status", "closed_at"])
    rounds = current.rounds.count()
    responses = Response.objects.filter(round__evaluation=current).count()
    audit.record(
        EvaluationAction.CLOSED,
        on=current,
        actor=actor,
        now=now,
        rounds=rounds,
        responses=responses,
    )
    # Counts only: who answered, and what, stay with the evaluation.
    webhooks.emit(
        program_id=current.program_id,
        event=WebhookEvent.EVALUATION_CLOSED,
        now=now,
        data={
            "evaluation": str(current.public_id),
            "closed_at": now.isoformat(),
            "rounds": rounds,
            "responses": responses,
        },
    )
    program_signals.terms_changed.send(sender=Program, program=current.program)
    return current


def clean_answers(
    form: evaluation_form.EvaluationForm, raw: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The answers kept (question key: text) and the problems (question key: message)."""
    answers: dict[str, str] = {}
    problems: dict[str, str] = {}
    for question in form.questions:
        value = (raw.get(question.key) or "").strip()
        if not value:
            if question.required:
                problems[question.key] = (
                    "Write an answer." if question.kind == "text" else "Choose an answer."
                )
            continue
        if question.kind == "text":
            if len(value) > evaluation_form.TEXT_LIMIT:
                problems[question.key] = (
                    f"Keep it under {evaluation_form.TEXT_LIMIT} characters (it is {len(value)})."
                )
        elif value not in {v for v, _label in question.choices}:
            problems[question.key] = "Choose one of the answers offered."
        answers[question.key] = value
    return answers, problems


@transaction.atomic
def answer(
    *,
    asked: Asked,
    user: User,
    answers: Mapping[str, str],
    version: int | None,
    now: datetime.datetime | None = None,
) -> Response:
    """Save the partner's answers: the first time (`version` None), or an edit of the answers
    at `version`. A second first answer (another tab, a double submit) and an edit of an older
    version are refused, each with its own message."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    found = (
        Round.objects.select_for_update()
        .select_related("evaluation", "partnership")
        .get(pk=asked.round.pk)
    )
    if found.partnership.role_of(user) is None:
        raise EvaluationError("Only the partners answer their evaluation.")
    state = Asked(found, found.evaluation, asked.form, asked.role, None).state(today)
    if state == "closed":
        raise EvaluationError("This evaluation has been closed: answers are no longer taken.")
    if state == "early":
        raise EvaluationError(f"This evaluation opens on {found.opens_on:%-d %B %Y}.")
    if state == "late":
        raise EvaluationError(
            f"The deadline was {found.closes_on:%-d %B %Y}: answers are no longer taken."
        )
    kept, problems = clean_answers(asked.form, answers)
    if problems:
        raise EvaluationError("Some answers need another look.", errors=list(problems.values()))
    existing = Response.objects.select_for_update().filter(round=found, respondent=user).first()
    if version is None:
        if existing is not None:
            raise EvaluationError(
                "You have already answered this evaluation (perhaps in another tab): your "
                "saved answers are shown. Change them and save, until the deadline.",
                conflict=True,
            )
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    round=found,
                    respondent=user,
                    role=asked.role,
                    answers=kept,
                    submitted_at=now,
                    updated_at=now,
                )
        except IntegrityError as error:  # the same person's second submit at the same moment
            raise EvaluationError(
                "You have already answered this evaluation.", conflict=True
            ) from error
        action = EvaluationAction.ANSWERED
    else:
        if existing is None or existing.version != version:
            raise EvaluationError(
                "Your answers were changed since you opened this page (perhaps in another "
                "tab): the saved ones are shown. Change them and save again.",
                conflict=True,
            )
        existing.answers = kept
        existing.version += 1
        existing.updated_at = now
        existing.save(update_fields=["answers", "version", "updated_at"])
        response = existing
        action = EvaluationAction.ANSWER_EDITED
    # On the evaluation, not the partnership: the pair's timeline does not show who answered.
    audit.record(action, on=found.evaluation, actor=user, now=now, round=found.key)
    partnership_signals.changed(found.partnership, now=now)
    return response


def sync_rounds(found: Iterable[tuple[int, int, Occurrence]]) -> int:
    """Keep the rounds of open partnerships as their facts give them: (partnership id,
    evaluation id, occurrence) from progress.due_rows, for a batch of partnerships in two
    queries and two writes. New rounds are written, moved dates updated; a round is never
    deleted (its answers stay)."""
    wanted = {(p, e, o.key): o for p, e, o in found}
    if not wanted:
        return 0
    existing = {
        (r.partnership_id, r.evaluation_id, r.key): r
        for r in Round.objects.filter(
            partnership_id__in={p for p, _e, _k in wanted},
            evaluation_id__in={e for _p, e, _k in wanted},
        )
    }
    new, changed = [], []
    for (partnership_id, evaluation_id, key), occurrence in wanted.items():
        row = existing.get((partnership_id, evaluation_id, key))
        if row is None:
            new.append(
                Round(
                    evaluation_id=evaluation_id,
                    partnership_id=partnership_id,
                    key=key,
                    opens_on=occurrence.opens_on,
                    closes_on=occurrence.closes_on,
                )
            )
        elif (row.opens_on, row.closes_on) != (occurrence.opens_on, occurrence.closes_on):
            row.opens_on, row.closes_on = occurrence.opens_on, occurrence.closes_on
            changed.append(row)
    # ignore_conflicts: two refreshes of one pair at the same moment write the same round.
    Round.objects.bulk_create(new, ignore_conflicts=True)
    Round.objects.bulk_update(changed, ["opens_on", "closes_on"])
    return len(new) + len(changed)
