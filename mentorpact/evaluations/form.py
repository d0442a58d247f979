"""An evaluation form as YAML, read and checked by the agreement templates' engine.

The text is read by `agreement_templates.yamltext` (ruamel.yaml round trip: lines of every
path, no aliases, no tags) and its shape checked by pydantic models built from
`agreement_templates.shape`'s value checks, so a problem reads as in a template:
`evaluation.yaml:7: questions[1].kind: unknown kind "chioce" (expected one of: ...)`.
The format is documented in docs/evaluations.md.

    title: Midpoint evaluation
    named: false            # true: the coordinators see each answer with its author's name
    when: midpoint          # dates, first_meeting, midpoint, closing, every_months
    dates: [2027-03-01]     # when: dates
    months: 3               # when: every_months (from the agreement's start)
    answer_within_days: 21  # answers (and edits) accepted this long from the day it opens
    questions:
      - key: useful
        label: How useful are your meetings?
        kind: scale         # scale (1-5), choice, text
        labels: [Not at all, A little, Somewhat, Very, Extremely]
      - key: format
        label: Which format suits you best?
        kind: choice
        options: [In person, Online, Both]
      - key: comments
        label: Anything else?
        kind: text
        required: false
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic_core import PydanticCustomError

from mentorpact.agreement_templates import shape, yamltext
from mentorpact.agreement_templates.shape import OPTIONAL, Problems, valid

FILENAME = "evaluation.yaml"
MAX_CHARS = 50_000
MAX_QUESTIONS = 40
MAX_OPTIONS = 20
MAX_DATES = 24
TEXT_LIMIT = 5000  # characters of one text answer
KINDS = ("scale", "choice", "text")
WHEN = ("dates", "first_meeting", "midpoint", "closing", "every_months")
SCALE = (1, 2, 3, 4, 5)
DEFAULT_LABELS = ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")

EXAMPLE = """\
title: Midpoint evaluation
named: false
when: midpoint
answer_within_days: 21
questions:
  - key: useful
    label: How useful are your meetings?
    kind: scale
    labels: [Not at all, A little, Somewhat, Very, Extremely]
  - key: format
    label: Which way of meeting suits you best?
    kind: choice
    options: [In person, Online, Both]
  - key: comments
    label: Anything else the program should know?
    kind: text
    required: false
"""


def _texts(value: Any) -> tuple[str, ...]:
    raw = shape.check_list(value)
    if raw is None:
        return ()
    return shape.check_texts(raw, limit=shape.LIMIT_SHORT)


def _dates(value: Any) -> tuple[datetime.date, ...]:
    raw = shape.check_list(value)
    if raw is None:
        return ()
    found = Problems()
    days = []
    for i, item in enumerate(raw):
        try:
            days.append(shape.check_date(item))
        except PydanticCustomError as error:
            found.add((i,), error.context["message"], value=item)  # type: ignore[index]
    found.raise_any()
    return tuple(d for d in days if d is not None)


class QuestionShape(shape.Checked):
    what = "a question"
    key: Annotated[str | None, shape.Key()] = OPTIONAL
    label: Annotated[str | None, shape.Text(required=True, why="every question needs a label")] = (
        OPTIONAL
    )
    help: Annotated[str | None, shape.Text(limit=shape.LIMIT_LONG)] = OPTIONAL
    kind: Annotated[
        str | None, shape.OneOf(KINDS, what="kind", missing="missing (say its kind)")
    ] = OPTIONAL
    options: Annotated[tuple[str, ...], shape.BeforeValidator(_texts)] = OPTIONAL
    labels: Annotated[tuple[str, ...], shape.BeforeValidator(_texts)] = OPTIONAL
    required: Annotated[bool | None, shape.Boolean] = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        kind = d.get("kind")
        options = valid(_texts, d.get("options")) or ()
        labels = valid(_texts, d.get("labels")) or ()
        if kind == "choice":
            if len(options) < 2:
                found.add(("options",), "a choice needs at least two options", at="kind")
            elif len(options) > MAX_OPTIONS:
                found.add(("options",), f"at most {MAX_OPTIONS} options")
            elif len(set(options)) != len(options):
                found.add(("options",), "each option once")
        elif d.get("options") is not None and kind in KINDS:
            found.add(("options",), f"a {kind} question has no options")
        if kind == "scale":
            if d.get("labels") is not None and len(labels) != len(SCALE):
                found.add(("labels",), f"a scale has {len(SCALE)} labels, one for each of 1-5")
        elif d.get("labels") is not None and kind in KINDS:
            found.add(("labels",), f"a {kind} question has no labels (only a scale has)")


class TopShape(shape.Checked):
    what = "the evaluation"
    title: Annotated[str | None, shape.Text(required=True, why="name the evaluation")] = OPTIONAL
    intro: Annotated[str | None, shape.Text(limit=shape.LIMIT_LONG)] = OPTIONAL
    named: Annotated[bool | None, shape.Boolean] = OPTIONAL
    when: Annotated[
        str | None, shape.OneOf(WHEN, what="schedule", missing="missing (say when it is asked)")
    ] = OPTIONAL
    dates: Annotated[tuple[datetime.date, ...], shape.BeforeValidator(_dates)] = OPTIONAL
    months: Annotated[int | None, shape.Integer(minimum=1, maximum=24)] = OPTIONAL
    answer_within_days: Annotated[int | None, shape.Integer(minimum=1, maximum=180)] = OPTIONAL
    questions: Annotated[
        tuple[QuestionShape, ...] | None, shape.BeforeValidator(shape.check_list)
    ] = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        when = d.get("when")
        dates = valid(_dates, d.get("dates")) or ()
        if when == "dates":
            if d.get("dates") is None:
                found.add(("dates",), "list the dates it is asked on", at="when")
            elif len(dates) > MAX_DATES:
                found.add(("dates",), f"at most {MAX_DATES} dates")
            elif len(set(dates)) != len(dates):
                found.add(("dates",), "each date once")
        elif d.get("dates") is not None:
            found.add(("dates",), "dates are for when: dates")
        if when == "every_months" and d.get("months") is None:
            found.add(("months",), "say every how many months", at="when")
        elif when != "every_months" and d.get("months") is not None:
            found.add(("months",), "months is for when: every_months")
        if not d.get("questions"):
            found.add(("questions",), "an evaluation asks at least one question")


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    kind: str
    options: tuple[str, ...]
    labels: tuple[str, ...]
    help: str
    required: bool

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        """The answers offered, as (value, label)."""
        if self.kind == "scale":
            pairs = zip(SCALE, self.labels, strict=True)
            return tuple((str(n), f"{n}: {label}") for n, label in pairs)
        return tuple((option, option) for option in self.options)


@dataclass(frozen=True)
class EvaluationForm:
    title: str
    intro: str
    named: bool
    when: str
    dates: tuple[datetime.date, ...]
    months: int | None
    answer_within_days: int
    questions: tuple[Question, ...]

    @property
    def schedule_words(self) -> str:
        if self.when == "dates":
            return "On " + ", ".join(f"{d:%-d %B %Y}" for d in self.dates)
        if self.when == "every_months":
            return f"Every {self.months} month{'s' if self.months != 1 else ''} of the agreement"
        return {
            "first_meeting": "After the first meeting",
            "midpoint": "At the midpoint of the agreed term",
            "closing": "At closing (two weeks before the agreed end)",
        }[self.when]


class FormError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def load(text: str) -> EvaluationForm:
    """The evaluation form in `text`, or FormError with every problem, by line."""
    if len(text) > MAX_CHARS:
        raise FormError([f"{FILENAME}: the text is {len(text):,} characters; limit {MAX_CHARS:,}"])
    if not text.strip():
        raise FormError([f"{FILENAME}: empty (start from the example)"])
    data, lines, errors = yamltext.read(text, FILENAME)
    if errors:
        raise FormError(errors)
    result, found = shape.validate(TopShape, data, "")
    messages = [yamltext.message_at(FILENAME, lines, *problem) for problem in found]
    if result is not None:
        messages += _across(result, lines)
    if messages:
        raise FormError(messages)
    return _build(result)


def _across(top: TopShape, lines: dict[str, int]) -> list[str]:
    messages = []
    questions = top.questions or ()
    if len(questions) > MAX_QUESTIONS:
        messages.append(f"{FILENAME}: at most {MAX_QUESTIONS} questions")
    seen: dict[str, int] = {}
    for i, question in enumerate(questions):
        if question.key in seen:
            line = lines.get(f"questions[{i}].key", "")
            messages.append(
                f"{FILENAME}:{line}: questions[{i}].key: duplicate key "
                f'"{question.key}" (also questions[{seen[question.key]}])'
            )
        elif question.key:
            seen[question.key] = i
    return messages


def _build(top: TopShape) -> EvaluationForm:
    return EvaluationForm(
        title=str(top.title),
        intro=top.intro or "",
        named=bool(top.named),
        when=str(top.when),
        dates=tuple(sorted(top.dates or ())),
        months=top.months,
        answer_within_days=top.answer_within_days or 21,
        questions=tuple(
            Question(
                key=str(q.key),
                label=str(q.label),
                kind=str(q.kind),
                options=q.options or (),
                labels=(q.labels or DEFAULT_LABELS) if q.kind == "scale" else (),
                help=q.help or "",
                required=q.required if q.required is not None else True,
            )
            for q in top.questions or ()
        ),
    )
