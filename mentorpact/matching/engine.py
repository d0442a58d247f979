"""The match, as pure functions: no Django, no database, so it is tested and benchmarked alone.

Inputs are the program's questions (`Question`), each person's answers (`Person`), the
constraints the people and the coordinator set (`Constraints`) and the weights (`Params`).
`match` returns the pairs, each with its score broken down by question (`Line`), and every
mentee left unmatched with the constraint that blocks them.

The objective is lexicographic: first as many mentees matched as the hard constraints allow,
then the largest total score among those assignments. (A plain "largest total score" would
happily leave a mentee out rather than pair them at a score of 0.) It is solved exactly with
scipy's `linear_sum_assignment` (the Jonker-Volgenant shortest augmenting path): each mentor
becomes `capacity` identical slot columns, and each mentee gets a column of its own meaning
"unmatched" at cost 0, so an assignment always exists; a pair costs -(BONUS + score), where
BONUS exceeds any total score, and a pair that breaks a hard constraint costs infinity.
A pinned pair is placed first (taking one of the mentor's slots); a pin that breaks a hard
constraint or a capacity is not placed and is reported in `Result.ignored_pins`.

Scores are computed as whole matrices with numpy (one per question), since a cohort of
1,000 x 400 is 400,000 pairs; `explain` recomputes one pair in plain Python for the review
page and the tests check that both agree.
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from scipy.optimize import linear_sum_assignment

KINDS = ("choice", "multichoice", "scale", "text", "availability", "modes")
MATTERS = ("must_match", "should_match", "must_differ", "no")
ASKED_OF = ("mentor", "mentee", "both")

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Parts of a day, in the person's own time zone: (name, first hour, hour after the last).
PARTS = (("morning", 8, 12), ("afternoon", 12, 17), ("evening", 17, 21))
AVAILABILITY_OPTIONS = tuple(f"{day}_{part}" for day in DAYS for part, _, _ in PARTS)
MODE_OPTIONS = ("online", "in_person", "phone")
# The week availability is converted to UTC in: a fixed January week (winter time in the
# north), so the same answers always give the same hours. Daylight saving shifts a pair
# across the equator by an hour at most; acceptable for "do these people overlap at all".
_REFERENCE_MONDAY = datetime.date(2027, 1, 4)


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    kind: str
    matters: str = "no"
    weight: float = 1.0
    asked_of: str = "both"
    # A mentee's question ("I would prefer a mentor who ...") compared with this mentor
    # question's answers.
    compare_with: str | None = None
    options: tuple[str, ...] = ()
    low: int = 1
    high: int = 5

    @property
    def mentor_key(self) -> str | None:
        """The key whose mentor answer this question is compared with (None: not compared)."""
        if self.matters == "no" or self.kind == "text":
            return None
        if self.compare_with:
            return self.compare_with
        return self.key if self.asked_of == "both" else None


@dataclass(frozen=True)
class Person:
    id: Hashable
    name: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    capacity: int = 1  # mentors only
    zone: str = "UTC"
    # Mentees only: mentor ids, first choice first.
    ranking: tuple[Hashable, ...] = ()


@dataclass(frozen=True)
class Constraints:
    declined: frozenset[tuple[Hashable, Hashable]] = frozenset()  # (mentor, mentee)
    forbidden: frozenset[tuple[Hashable, Hashable]] = frozenset()
    pinned: tuple[tuple[Hashable, Hashable], ...] = ()


@dataclass(frozen=True)
class Params:
    rank_weight: float = 3.0  # a mentee's first choice adds this much; later ones less
    max_rank: int = 3


@dataclass(frozen=True)
class Line:
    """One reason in a pair's explanation."""

    question: str  # a question's label, or "Ranking"
    points: float
    text: str


@dataclass(frozen=True)
class Pair:
    mentor: Hashable
    mentee: Hashable
    score: float
    lines: tuple[Line, ...]
    pinned: bool = False


@dataclass(frozen=True)
class Unmatched:
    mentee: Hashable
    # "no_compatible_mentor": every mentor is excluded by a hard constraint (`blocked_by`
    # counts mentors by the constraints that exclude them); "capacity": some mentors fit
    # (`fitting`) but every one of them is full with other mentees in the optimum.
    reason: str
    text: str
    blocked_by: dict[str, int] = field(default_factory=dict)
    fitting: tuple[Hashable, ...] = ()


@dataclass(frozen=True)
class Result:
    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    ignored_pins: tuple[tuple[Hashable, Hashable, str], ...]
    total_score: float


# ---------------------------------------------------------------------------------------------
# Answers


def availability_hours(slots: Iterable[str], zone: str) -> frozenset[int]:
    """The hours of the week (0 = Monday 00:00 UTC) that day parts in `zone` cover."""
    tz = ZoneInfo(zone)
    hours = set()
    for slot in slots:
        day, _, part = slot.partition("_")
        if day not in DAYS:
            continue
        for name, first, after in PARTS:
            if name != part:
                continue
            date = _REFERENCE_MONDAY + datetime.timedelta(days=DAYS.index(day))
            for hour in range(first, after):
                local = datetime.datetime.combine(date, datetime.time(hour), tzinfo=tz)
                utc = local.astimezone(datetime.UTC)
                delta = utc - datetime.datetime.combine(
                    _REFERENCE_MONDAY, datetime.time(0), tzinfo=datetime.UTC
                )
                hours.add(int(delta.total_seconds() // 3600) % 168)
    return frozenset(hours)


def _value(question: Question, person: Person, key: str) -> Any:
    """The answer in the form compared: a set for multiple answers, None when not answered."""
    value = person.answers.get(key)
    if value is None or value == "" or value == []:
        return None
    if question.kind == "availability":
        return availability_hours(value, person.zone) or None
    if question.kind in ("multichoice", "modes"):
        return frozenset(value)
    return value


def _labels(values: Iterable[str]) -> str:
    return ", ".join(str(value).replace("_", " ") for value in sorted(values))


def _compare(question: Question, a: Any, b: Any) -> tuple[float, bool, str]:
    """(similarity 0..1, whether the answers match, a short description) for two answers."""
    kind = question.kind
    if kind == "choice":
        same = a == b
        shown = str(a).replace("_", " ")
        return (1.0 if same else 0.0), same, (f"both {shown}" if same else f"{shown} and {b}")
    if kind == "scale":
        span = max(question.high - question.low, 1)
        similarity = 1.0 - min(abs(a - b), span) / span
        return similarity, a == b, f"{a} and {b} on {question.low}-{question.high}"
    if kind == "availability":
        common = a & b
        similarity = len(common) / min(len(a), len(b))
        return similarity, bool(common), f"{len(common)} hours a week in common"
    common = a & b  # multichoice, modes
    similarity = len(common) / len(a | b)
    text = f"share {_labels(common)}" if common else "nothing in common"
    return similarity, bool(common), text


def _criteria(questions: Sequence[Question]) -> list[tuple[Question, str]]:
    return [(q, q.mentor_key) for q in questions if q.mentor_key is not None]


# ---------------------------------------------------------------------------------------------
# One pair, in plain Python (the review page's explanation; the tests' reference)


def blocks(
    questions: Sequence[Question],
    mentor: Person,
    mentee: Person,
    constraints: Constraints,
) -> list[str]:
    """Every hard constraint that excludes this pair, as short names ("" when none)."""
    found = []
    if (mentor.id, mentee.id) in constraints.forbidden:
        found.append("forbidden by the coordinator")
    if (mentor.id, mentee.id) in constraints.declined:
        found.append("declined by the mentor")
    if mentor.id == mentee.id:
        found.append("the same person")
    for question, mentor_key in _criteria(questions):
        if question.matters not in ("must_match", "must_differ"):
            continue
        a, b = _value(question, mentee, question.key), _value(question, mentor, mentor_key)
        if a is None or b is None:
            found.append(f"{question.label}: not answered")
            continue
        _, same, _ = _compare(question, a, b)
        if question.matters == "must_match" and not same:
            found.append(f"{question.label}: must match")
        if question.matters == "must_differ" and same:
            found.append(f"{question.label}: must differ")
    return found


def _rank_points(mentee: Person, mentor: Person, params: Params) -> tuple[float, int | None]:
    ranking = list(mentee.ranking[: params.max_rank])
    if mentor.id not in ranking:
        return 0.0, None
    place = ranking.index(mentor.id)
    return params.rank_weight * (params.max_rank - place) / params.max_rank, place + 1


def explain(
    questions: Sequence[Question], mentor: Person, mentee: Person, params: Params
) -> tuple[float, tuple[Line, ...]]:
    """The pair's score and its lines, one per question that matters, then the ranking."""
    lines = []
    total = 0.0
    for question, mentor_key in _criteria(questions):
        a, b = _value(question, mentee, question.key), _value(question, mentor, mentor_key)
        if a is None or b is None:
            lines.append(Line(question.label, 0.0, "not answered by both"))
            continue
        similarity, same, text = _compare(question, a, b)
        if question.matters == "should_match":
            points = question.weight * similarity
            total += points
            lines.append(Line(question.label, points, text))
        elif question.matters == "must_match":
            lines.append(Line(question.label, 0.0, f"{text}, as required"))
        else:
            lines.append(Line(question.label, 0.0, f"different, as asked ({text})"))
    points, place = _rank_points(mentee, mentor, params)
    if place is not None:
        total += points
        lines.append(Line("Ranking", points, f"the mentee's choice number {place}"))
    return total, tuple(lines)


# ---------------------------------------------------------------------------------------------
# The whole cohort, as matrices (rows: mentees, columns: mentors)


def _answer_matrix(
    question: Question, people: Sequence[Person], key: str
) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    values = [_value(question, person, key) for person in people]
    answered = np.array([value is not None for value in values], dtype=bool)
    return answered, np.zeros(0), values


def _sets_matrix(values: list[Any], universe: dict[Any, int]) -> np.ndarray:
    matrix = np.zeros((len(values), max(len(universe), 1)), dtype=np.float32)
    for row, value in enumerate(values):
        for item in value or ():
            matrix[row, universe[item]] = 1.0
    return matrix


def _question_matrices(
    question: Question, mentees: Sequence[Person], mentors: Sequence[Person], mentor_key: str
) -> tuple[np.ndarray, np.ndarray]:
    """(similarity, match) matrices for one question; both False/0 where an answer is missing."""
    e_answered, _, e_values = _answer_matrix(question, mentees, question.key)
    m_answered, _, m_values = _answer_matrix(question, mentors, mentor_key)
    both = e_answered[:, None] & m_answered[None, :]
    kind = question.kind
    if kind in ("choice", "scale"):
        universe: dict[Any, int] = {}
        for value in itertools.chain(e_values, m_values):
            if value is not None and value not in universe:
                universe[value] = len(universe)
        if kind == "choice":
            e = np.array([universe.get(v, -1) if v is not None else -1 for v in e_values])
            m = np.array([universe.get(v, -2) if v is not None else -2 for v in m_values])
            same = e[:, None] == m[None, :]
            similarity = same.astype(np.float64)
        else:
            e_num = np.array([v if v is not None else 0 for v in e_values], dtype=np.float64)
            m_num = np.array([v if v is not None else 0 for v in m_values], dtype=np.float64)
            span = max(question.high - question.low, 1)
            diff = np.minimum(np.abs(e_num[:, None] - m_num[None, :]), span)
            similarity = 1.0 - diff / span
            same = diff == 0
    else:
        universe = {}
        for value in itertools.chain(e_values, m_values):
            for item in value or ():
                universe.setdefault(item, len(universe))
        e_sets, m_sets = _sets_matrix(e_values, universe), _sets_matrix(m_values, universe)
        common = (e_sets @ m_sets.T).astype(np.float64)
        e_size, m_size = e_sets.sum(axis=1)[:, None], m_sets.sum(axis=1)[None, :]
        if kind == "availability":
            denominator = np.minimum(e_size, m_size)
        else:
            denominator = e_size + m_size - common
        with np.errstate(divide="ignore", invalid="ignore"):
            similarity = np.where(denominator > 0, common / denominator, 0.0)
        same = common > 0
    return np.where(both, similarity, 0.0), same & both


@dataclass
class Table:
    """Scores and hard constraints of every (mentee, mentor) pair."""

    mentees: Sequence[Person]
    mentors: Sequence[Person]
    scores: np.ndarray  # float64, mentees x mentors
    allowed: np.ndarray  # bool, mentees x mentors


def table(
    questions: Sequence[Question],
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    constraints: Constraints,
    params: Params,
) -> Table:
    shape = (len(mentees), len(mentors))
    scores = np.zeros(shape, dtype=np.float64)
    allowed = np.ones(shape, dtype=bool)
    for question, mentor_key in _criteria(questions):
        similarity, same = _question_matrices(question, mentees, mentors, mentor_key)
        if question.matters == "should_match":
            scores += question.weight * similarity
        elif question.matters == "must_match":
            allowed &= same
        else:  # must_differ: both answered and not the same
            e_answered, _, _ = _answer_matrix(question, mentees, question.key)
            m_answered, _, _ = _answer_matrix(question, mentors, mentor_key)
            allowed &= e_answered[:, None] & m_answered[None, :] & ~same
    mentor_index = {mentor.id: column for column, mentor in enumerate(mentors)}
    for row, mentee in enumerate(mentees):
        for place, mentor_id in enumerate(mentee.ranking[: params.max_rank]):
            column = mentor_index.get(mentor_id)
            if column is not None:
                scores[row, column] += (
                    params.rank_weight * (params.max_rank - place) / params.max_rank
                )
        column = mentor_index.get(mentee.id)
        if column is not None:
            allowed[row, column] = False
    mentee_index = {mentee.id: row for row, mentee in enumerate(mentees)}
    for mentor_id, mentee_id in itertools.chain(constraints.declined, constraints.forbidden):
        at_row, at_column = mentee_index.get(mentee_id), mentor_index.get(mentor_id)
        if at_row is not None and at_column is not None:
            allowed[at_row, at_column] = False
    return Table(mentees, mentors, scores, allowed)


# ---------------------------------------------------------------------------------------------
# The assignment


def assign(
    scores: np.ndarray,
    allowed: np.ndarray,
    capacities: Sequence[int],
    pinned: Iterable[tuple[int, int]] = (),
) -> tuple[dict[int, int], list[tuple[int, int, str]]]:
    """An optimal assignment {mentee row: mentor column} and the pins that were not placed.

    Optimal means: the most mentees matched, then the largest total score, among
    assignments that respect `allowed`, `capacities` and the placed pins."""
    left = list(capacities)
    result: dict[int, int] = {}
    ignored = []
    for row, column in pinned:
        if row in result:
            ignored.append((row, column, "the mentee is already pinned to another mentor"))
        elif not allowed[row, column]:
            ignored.append((row, column, "the pair breaks a hard constraint"))
        elif left[column] <= 0:
            ignored.append((row, column, "the mentor's capacity is taken by other pins"))
        else:
            result[row] = column
            left[column] -= 1
    rows = [row for row in range(scores.shape[0]) if row not in result]
    slots = [column for column, count in enumerate(left) for _ in range(max(count, 0))]
    if not rows or not slots:
        return result, ignored
    sub_scores = scores[np.ix_(rows, slots)]
    sub_allowed = allowed[np.ix_(rows, slots)]
    # BONUS exceeds the largest possible total score, so one more pair always beats any gain
    # in score; the factor 2 leaves room for rounding.
    best = np.where(sub_allowed, sub_scores, 0.0).max(axis=1, initial=0.0)
    bonus = 2.0 * float(np.maximum(best, 0.0).sum()) + 1.0
    cost = np.where(sub_allowed, -(bonus + sub_scores), np.inf)
    # One "unmatched" column per mentee, at cost 0 for its own row only.
    unmatched = np.full((len(rows), len(rows)), np.inf)
    np.fill_diagonal(unmatched, 0.0)
    chosen_rows, chosen_columns = linear_sum_assignment(np.hstack([cost, unmatched]))
    for sub_row, sub_column in zip(chosen_rows, chosen_columns, strict=True):
        if sub_column < len(slots):
            result[rows[sub_row]] = slots[sub_column]
    return result, ignored


def match(
    questions: Sequence[Question],
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    constraints: Constraints = Constraints(),
    params: Params = Params(),
) -> Result:
    """The optimal pairing of the cohort, each pair explained, each unmatched mentee's reason."""
    grid = table(questions, mentors, mentees, constraints, params)
    mentor_index = {mentor.id: column for column, mentor in enumerate(mentors)}
    mentee_index = {mentee.id: row for row, mentee in enumerate(mentees)}
    pins = []
    unknown = []
    for mentor_id, mentee_id in constraints.pinned:
        if mentor_id in mentor_index and mentee_id in mentee_index:
            pins.append((mentee_index[mentee_id], mentor_index[mentor_id]))
        else:
            unknown.append((mentor_id, mentee_id, "the person is no longer in the cohort"))
    chosen, ignored = assign(grid.scores, grid.allowed, [m.capacity for m in mentors], pins)
    placed_pins = set(pins) - {(row, column) for row, column, _ in ignored}
    pairs = []
    for row, column in sorted(chosen.items()):
        mentee, mentor = mentees[row], mentors[column]
        score, lines = explain(questions, mentor, mentee, params)
        pairs.append(Pair(mentor.id, mentee.id, score, lines, pinned=(row, column) in placed_pins))
    unmatched = []
    for row, mentee in enumerate(mentees):
        if row not in chosen:
            unmatched.append(_why_unmatched(questions, mentors, mentee, constraints, grid, row))
    ignored_pins = tuple(
        (mentors[column].id, mentees[row].id, why) for row, column, why in ignored
    ) + tuple(unknown)
    return Result(
        tuple(pairs),
        tuple(unmatched),
        ignored_pins,
        float(sum(pair.score for pair in pairs)),
    )


def _why_unmatched(
    questions: Sequence[Question],
    mentors: Sequence[Person],
    mentee: Person,
    constraints: Constraints,
    grid: Table,
    row: int,
) -> Unmatched:
    columns = [int(c) for c in np.flatnonzero(grid.allowed[row])]
    fitting = tuple(mentors[c].id for c in columns)
    if fitting:
        names = ", ".join(str(mentors[c].name or mentors[c].id) for c in columns)
        return Unmatched(
            mentee.id,
            "capacity",
            f"Every mentor who fits ({names}) is at capacity with other mentees.",
            fitting=fitting,
        )
    counts: Counter[str] = Counter()
    for mentor in mentors:
        for name in blocks(questions, mentor, mentee, constraints):
            counts[name] += 1
    if not mentors:
        text = "There are no mentors in the cohort."
    else:
        parts = [
            f"{name} ({count} of {len(mentors)} mentors)" for name, count in counts.most_common()
        ]
        text = "No mentor is possible: " + "; ".join(parts) + "."
    return Unmatched(mentee.id, "no_compatible_mentor", text, blocked_by=dict(counts))
