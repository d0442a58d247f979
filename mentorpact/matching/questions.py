"""A program's intake questions as YAML, read and checked by the agreement templates' engine.

The text is read by `agreement_templates.yamltext` (ruamel.yaml round trip: lines of every
path, no aliases, no tags) and its shape checked by pydantic models built from
`agreement_templates.shape`'s value checks, so a problem reads as in a template:
`questions.yaml:7: questions[1].kind: unknown kind "chioce" (expected one of: ...)`.

    ranking:            # optional: mentees see a shortlist of mentors and rank some
      up_to: 3          # how many a mentee may rank (0: no ranking)
      shortlist: 8      # how many suitable mentors the shortlist shows
      weight: 3         # a first choice adds this much to a pair's score
    questions:
      - key: mode
        label: How would you like to meet?
        kind: modes                 # choice, multichoice, scale, text, availability, modes
        matters: should_match       # must_match, should_match, must_differ, no
        weight: 2                   # should_match only (1-100)
        asked_of: both              # mentor, mentee, both
      - key: wants
        label: I would prefer a mentor who works in
        kind: choice
        options: [Biology, Chemistry]
        asked_of: mentee
        compare_with: area          # a mentor question of the same kind
        matters: should_match

Free-text answers (kind `text`) never count for matching, and only the person who wrote one
sees it, unless the question says `shown_to_coordinator: true` (then the coordinator sees it on
the profiles page, and the person is told so under the question).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from mentorpact.agreement_templates import shape, yamltext
from mentorpact.agreement_templates.shape import OPTIONAL, Problems, valid
from mentorpact.matching import engine

FILENAME = "questions.yaml"
MAX_CHARS = 100_000
MAX_QUESTIONS = 60
MAX_OPTIONS = 60

EXAMPLE = """\
ranking:
  up_to: 3
  shortlist: 8
  weight: 3
questions:
  - key: mode
    label: How would you like to meet?
    kind: modes
    matters: should_match
    weight: 2
  - key: area
    label: Your research area
    kind: choice
    options: [Biology, Chemistry, Physics]
    matters: should_match
    weight: 2
  - key: department
    label: Your department
    kind: choice
    options: [Life sciences, Engineering, Humanities]
    matters: must_differ
"""


def _options(value: Any) -> tuple[str, ...]:
    raw = shape.check_list(value)
    if raw is None:
        return ()
    return shape.check_texts(raw, limit=shape.LIMIT_SHORT)


class RankingShape(shape.Shape):
    what = "the ranking settings"
    up_to: Annotated[int | None, shape.Integer(minimum=0, maximum=10)] = OPTIONAL
    shortlist: Annotated[int | None, shape.Integer(minimum=1, maximum=50)] = OPTIONAL
    weight: Annotated[int | None, shape.Integer(minimum=0, maximum=100)] = OPTIONAL


class QuestionShape(shape.Checked):
    what = "a question"
    key: Annotated[str | None, shape.Key()] = OPTIONAL
    label: Annotated[str | None, shape.Text(required=True, why="every question needs a label")] = (
        OPTIONAL
    )
    help: Annotated[str | None, shape.Text(limit=shape.LIMIT_LONG)] = OPTIONAL
    kind: Annotated[
        str | None, shape.OneOf(engine.KINDS, what="kind", missing="missing (say its kind)")
    ] = OPTIONAL
    matters: Annotated[str | None, shape.OneOf(engine.MATTERS, what="value")] = OPTIONAL
    weight: Annotated[int | None, shape.Integer(minimum=1, maximum=100)] = OPTIONAL
    asked_of: Annotated[str | None, shape.OneOf(engine.ASKED_OF, what="value")] = OPTIONAL
    compare_with: Annotated[str | None, shape.Key(required=False)] = OPTIONAL
    options: Annotated[tuple[str, ...], shape.BeforeValidator(_options)] = OPTIONAL
    low: Annotated[int | None, shape.Integer(minimum=0, maximum=100)] = OPTIONAL
    high: Annotated[int | None, shape.Integer(minimum=1, maximum=100)] = OPTIONAL
    required: Annotated[bool | None, shape.Boolean] = OPTIONAL
    shown_to_coordinator: Annotated[bool | None, shape.Boolean] = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        kind = d.get("kind")
        matters = d.get("matters") or "no"
        asked_of = d.get("asked_of") or "both"
        options = valid(_options, d.get("options")) or ()
        if kind in ("choice", "multichoice"):
            if len(options) < 2:
                found.add(("options",), "a choice needs at least two options", at="kind")
            elif len(options) > MAX_OPTIONS:
                found.add(("options",), f"at most {MAX_OPTIONS} options")
            elif len(set(options)) != len(options):
                found.add(("options",), "each option once")
        elif d.get("options") is not None:
            found.add(("options",), f"a {kind} question has no options")
        if kind == "text" and matters != "no":
            found.add(("matters",), "a free-text answer cannot count for matching (use no)")
        if d.get("weight") is not None and matters != "should_match":
            found.add(("weight",), "a weight is for should_match questions only")
        if kind == "scale":
            low, high = d.get("low", 1), d.get("high", 5)
            if isinstance(low, int) and isinstance(high, int) and low >= high:
                found.add(("high",), f"must be more than low ({low})")
        if d.get("compare_with") is not None and asked_of != "mentee":
            found.add(("compare_with",), "only a question asked of mentees compares with another")
        elif matters != "no" and asked_of != "both" and d.get("compare_with") is None:
            found.add(
                ("matters",),
                f"a question asked of the {asked_of} only has nothing to compare with: ask "
                "both, or give a mentee question compare_with (a mentor question's key)",
            )


class TopShape(shape.Shape):
    what = "the intake questions"
    ranking: RankingShape | None = None
    questions: Annotated[
        tuple[QuestionShape, ...] | None, shape.BeforeValidator(shape.check_list)
    ] = OPTIONAL


@dataclass(frozen=True)
class IntakeQuestion:
    """One question as the pages read it, with what the engine compares."""

    key: str
    label: str
    kind: str
    matters: str
    weight: int
    asked_of: str
    compare_with: str | None
    options: tuple[str, ...]
    low: int
    high: int
    help: str
    required: bool
    shown_to_coordinator: bool

    def asked(self, role: str) -> bool:
        return self.asked_of in (role, "both")

    @property
    def choices(self) -> tuple[str, ...]:
        if self.kind == "availability":
            return engine.AVAILABILITY_OPTIONS
        if self.kind == "modes":
            return engine.MODE_OPTIONS
        return self.options

    def for_engine(self) -> engine.Question:
        return engine.Question(
            key=self.key,
            label=self.label,
            kind=self.kind,
            matters=self.matters,
            weight=float(self.weight),
            asked_of=self.asked_of,
            compare_with=self.compare_with,
            options=self.choices,
            low=self.low,
            high=self.high,
        )


@dataclass(frozen=True)
class Intake:
    questions: tuple[IntakeQuestion, ...]
    rank_up_to: int = 0
    shortlist: int = 8
    rank_weight: int = 3

    def asked_of(self, role: str) -> tuple[IntakeQuestion, ...]:
        return tuple(q for q in self.questions if q.asked(role))

    def engine_questions(self) -> tuple[engine.Question, ...]:
        return tuple(q.for_engine() for q in self.questions)


EMPTY = Intake(questions=())


class QuestionsError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def load(text: str) -> Intake:
    """The intake questions in `text`, or QuestionsError with every problem, by line."""
    if len(text) > MAX_CHARS:
        raise QuestionsError(
            [f"{FILENAME}: the text is {len(text):,} characters; limit {MAX_CHARS:,}"]
        )
    if not text.strip():
        return EMPTY
    data, lines, errors = yamltext.read(text, FILENAME)
    if errors:
        raise QuestionsError(errors)
    result, found = shape.validate(TopShape, data, "")
    messages = [yamltext.message_at(FILENAME, lines, *problem) for problem in found]
    if result is not None:
        messages += _across(result, lines)
    if messages:
        raise QuestionsError(messages)
    return _build(result)


def _across(top: TopShape, lines: dict[str, int]) -> list[str]:
    """Problems between questions: duplicate keys, compare_with pointing nowhere."""
    messages = []
    questions = top.questions or ()
    if len(questions) > MAX_QUESTIONS:
        messages.append(f"{FILENAME}: at most {MAX_QUESTIONS} questions")
    by_key: dict[str, tuple[int, QuestionShape]] = {}
    for i, question in enumerate(questions):
        if question.key in by_key:
            first = by_key[question.key][0]
            line = lines.get(f"questions[{i}].key", "")
            messages.append(
                f"{FILENAME}:{line}: questions[{i}].key: duplicate key "
                f'"{question.key}" (also questions[{first}])'
            )
        elif question.key:
            by_key[question.key] = (i, question)
    for i, question in enumerate(questions):
        if not question.compare_with:
            continue
        line = lines.get(f"questions[{i}].compare_with", "")
        where = f"{FILENAME}:{line}: questions[{i}].compare_with"
        other = by_key.get(question.compare_with)
        if other is None:
            messages.append(f'{where}: no question has the key "{question.compare_with}"')
        elif (other[1].asked_of or "both") == "mentee":
            messages.append(f"{where}: compare with a question asked of mentors")
        elif other[1].kind != question.kind:
            messages.append(f"{where}: compare with a question of the same kind ({question.kind})")
    return messages


def _build(top: TopShape) -> Intake:
    ranking = top.ranking or RankingShape()
    return Intake(
        questions=tuple(
            IntakeQuestion(
                key=str(q.key),
                label=str(q.label),
                kind=str(q.kind),
                matters=q.matters or "no",
                weight=q.weight or 1,
                asked_of=q.asked_of or "both",
                compare_with=q.compare_with,
                options=q.options or (),
                low=q.low if q.low is not None else 1,
                high=q.high if q.high is not None else 5,
                help=q.help or "",
                required=q.required if q.required is not None else True,
                shown_to_coordinator=bool(q.shown_to_coordinator),
            )
            for q in top.questions or ()
        ),
        rank_up_to=ranking.up_to or 0,
        shortlist=ranking.shortlist or 8,
        rank_weight=ranking.weight if ranking.weight is not None else 3,
    )
