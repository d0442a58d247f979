"""The engine against an exhaustive search: optimal, never breaking a hard constraint, and
every unmatched mentee reported with the constraint that blocks them."""

import functools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorpact.matching import engine
from mentorpact.matching.engine import Constraints, Params, Person, Question

QUESTIONS = (
    Question("mode", "Meeting mode", "modes", "should_match", 2.0, options=engine.MODE_OPTIONS),
    Question(
        "area", "Research area", "choice", "should_match", 1.5, options=("bio", "chem", "phys")
    ),
    Question("department", "Department", "choice", "must_differ", options=("a", "b", "c")),
    Question("language", "Language", "choice", "must_match", options=("en", "fr")),
    Question("pace", "Pace", "scale", "should_match", 1.0, low=1, high=5),
    Question("when", "Availability", "availability", "should_match", 1.0),
    Question("notes", "Anything else", "text"),
    Question(
        "wants",
        "I would prefer a mentor who works in",
        "choice",
        "should_match",
        1.0,
        asked_of="mentee",
        compare_with="area",
        options=("bio", "chem", "phys"),
    ),
)


def best_by_search(scores, allowed, capacities, pins=()):
    """(pairs, total score) of the best assignment, by exhaustive search over mentees with
    memory of the capacities left."""
    n = scores.shape[0]
    fixed = dict(pins)

    @functools.cache
    def best(row, left):
        if row == n:
            return (0, 0.0)
        options = []
        if row in fixed:
            column = fixed[row]
            rest = best(row + 1, left)
            return (rest[0] + 1, rest[1] + scores[row, column])
        options.append(best(row + 1, left))
        for column, count in enumerate(left):
            if count and allowed[row, column]:
                after = left[:column] + (count - 1,) + left[column + 1 :]
                rest = best(row + 1, after)
                options.append((rest[0] + 1, rest[1] + scores[row, column]))
        return max(options, key=lambda option: (option[0], round(option[1], 9)))

    left = list(capacities)
    for _, column in pins:
        left[column] -= 1
    return best(0, tuple(left))


@st.composite
def matrices(draw):
    n = draw(st.integers(0, 6))
    m = draw(st.integers(0, 6))
    scores = np.array(
        [[draw(st.integers(0, 20)) / 4 for _ in range(m)] for _ in range(n)], dtype=float
    ).reshape(n, m)
    allowed = np.array(
        [[draw(st.booleans()) for _ in range(m)] for _ in range(n)], dtype=bool
    ).reshape(n, m)
    capacities = [draw(st.integers(1, 3)) for _ in range(m)]
    return scores, allowed, capacities


@settings(max_examples=300, deadline=None)
@given(matrices())
def test_the_assignment_is_as_good_as_an_exhaustive_search(case):
    scores, allowed, capacities = case
    chosen, ignored = engine.assign(scores, allowed, capacities)
    assert ignored == []
    assert all(allowed[row, column] for row, column in chosen.items())
    for column, capacity in enumerate(capacities):
        assert list(chosen.values()).count(column) <= capacity
    count, total = best_by_search(scores, allowed, capacities)
    assert len(chosen) == count
    assert abs(sum(scores[r, c] for r, c in chosen.items()) - total) < 1e-9


answers_of = {
    "mode": st.lists(st.sampled_from(engine.MODE_OPTIONS), max_size=3, unique=True),
    "area": st.sampled_from(("bio", "chem", "phys")),
    "department": st.sampled_from(("a", "b", "c")),
    "language": st.sampled_from(("en", "fr")),
    "pace": st.integers(1, 5),
    "when": st.lists(st.sampled_from(engine.AVAILABILITY_OPTIONS[:6]), max_size=3, unique=True),
    "notes": st.text(max_size=5),
    "wants": st.sampled_from(("bio", "chem", "phys")),
}


@st.composite
def person(draw, prefix, index):
    keys = draw(st.lists(st.sampled_from(sorted(answers_of)), unique=True))
    # Most people answer the must questions, so that most cohorts can be matched.
    if draw(st.integers(0, 4)):
        keys = sorted({*keys, "department", "language"})
    answers = {key: draw(answers_of[key]) for key in keys}
    zone = draw(st.sampled_from(("UTC", "Europe/Paris", "America/Toronto")))
    return Person(
        f"{prefix}{index}", f"{prefix.upper()}{index}", answers, draw(st.integers(1, 3)), zone
    )


@st.composite
def cohorts(draw):
    mentors = [draw(person("m", i)) for i in range(draw(st.integers(0, 6)))]
    mentees = [draw(person("e", i)) for i in range(draw(st.integers(0, 6)))]
    ids = [m.id for m in mentors]
    pairs = [(m, e.id) for m in ids for e in mentees]
    if ids:
        mentees = [
            Person(
                e.id,
                e.name,
                e.answers,
                zone=e.zone,
                ranking=tuple(draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))),
            )
            for e in mentees
        ]
    subset = st.lists(st.sampled_from(pairs), max_size=4, unique=True) if pairs else st.just([])
    constraints = Constraints(
        declined=frozenset(draw(subset)),
        forbidden=frozenset(draw(subset)),
        pinned=tuple(draw(subset)),
    )
    return mentors, mentees, constraints


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts())
def test_a_cohort_is_matched_optimally_within_every_hard_constraint(cohort):
    mentors, mentees, constraints = cohort
    params = Params()
    result = engine.match(QUESTIONS, mentors, mentees, constraints, params)
    by_id = {p.id: p for p in [*mentors, *mentees]}
    grid = engine.table(QUESTIONS, mentors, mentees, constraints, params)

    # The matrices agree with the plain-Python explanation and hard constraints of each pair.
    for row, mentee in enumerate(mentees):
        for column, mentor in enumerate(mentors):
            score, _ = engine.explain(QUESTIONS, mentor, mentee, params)
            assert abs(grid.scores[row, column] - score) < 1e-6
            assert grid.allowed[row, column] == (
                not engine.blocks(QUESTIONS, mentor, mentee, constraints)
            )

    # No hard constraint broken: capacity, must match / differ, declined, forbidden.
    taken = [pair.mentor for pair in result.pairs]
    for mentor in mentors:
        assert taken.count(mentor.id) <= mentor.capacity
    assert len({pair.mentee for pair in result.pairs}) == len(result.pairs)
    for pair in result.pairs:
        assert engine.blocks(QUESTIONS, by_id[pair.mentor], by_id[pair.mentee], constraints) == []

    # Every placeable pin is placed; the others are reported.
    placed = {(pair.mentor, pair.mentee) for pair in result.pairs if pair.pinned}
    ignored = {(m, e) for m, e, _ in result.ignored_pins}
    assert placed | ignored == set(constraints.pinned)

    # Optimal: as many pairs, and as high a total, as an exhaustive search with the same pins.
    rows = {m.id: r for r, m in enumerate(mentees)}
    columns = {m.id: c for c, m in enumerate(mentors)}
    pins = [(rows[e], columns[m]) for m, e in placed]
    count, total = best_by_search(grid.scores, grid.allowed, [m.capacity for m in mentors], pins)
    assert len(result.pairs) == count
    assert abs(result.total_score - total) < 1e-6

    # Each unmatched mentee: no mentor fits (and the counts name why), or all that fit are full.
    matched = {pair.mentee for pair in result.pairs}
    assert {u.mentee for u in result.unmatched} == {m.id for m in mentees} - matched
    for unmatched in result.unmatched:
        mentee = by_id[unmatched.mentee]
        fitting = [m for m in mentors if not engine.blocks(QUESTIONS, m, mentee, constraints)]
        if fitting:
            assert unmatched.reason == "capacity"
            for mentor in fitting:
                assert taken.count(mentor.id) == mentor.capacity
        else:
            assert unmatched.reason == "no_compatible_mentor"
            for mentor in mentors:
                for name in engine.blocks(QUESTIONS, mentor, mentee, constraints):
                    assert unmatched.blocked_by[name] >= 1


def test_an_unmatchable_mentee_is_told_which_constraint_blocks_them():
    mentors = [
        Person("m1", "Mia", {"language": "en", "department": "a"}),
        Person("m2", "Max", {"language": "en", "department": "b"}),
    ]
    mentees = [Person("e1", "Theo", {"language": "fr", "department": "c"})]
    result = engine.match(QUESTIONS, mentors, mentees)
    assert result.pairs == ()
    (unmatched,) = result.unmatched
    assert unmatched.reason == "no_compatible_mentor"
    assert unmatched.blocked_by == {"Language: must match": 2}
    assert "Language: must match (2 of 2 mentors)" in unmatched.text


def test_a_mentee_whose_fitting_mentors_are_full_is_told_so():
    mentors = [Person("m1", "Mia", {"language": "en", "department": "a"}, capacity=1)]
    mentees = [
        Person("e1", "Theo", {"language": "en", "department": "b"}, ranking=("m1",)),
        Person("e2", "Tara", {"language": "en", "department": "c"}),
    ]
    result = engine.match(QUESTIONS, mentors, mentees)
    assert [(p.mentor, p.mentee) for p in result.pairs] == [("m1", "e1")]
    (unmatched,) = result.unmatched
    assert unmatched.reason == "capacity"
    assert unmatched.text == "Every mentor who fits (Mia) is at capacity with other mentees."


def test_more_pairs_beat_a_higher_score():
    # e1 scores far higher with m1, but only m1 fits e2: both get a mentor.
    scores = np.array([[10.0, 0.0], [1.0, 0.0]])
    allowed = np.array([[True, True], [True, False]])
    chosen, _ = engine.assign(scores, allowed, [1, 1])
    assert chosen == {0: 1, 1: 0}


def test_a_pair_is_explained_by_question():
    mentor = Person(
        "m1", "Mia", {"mode": ["online"], "area": "bio", "department": "a", "language": "en"}
    )
    mentee = Person(
        "e1",
        "Theo",
        {"mode": ["online"], "area": "bio", "department": "b", "language": "en", "wants": "bio"},
        ranking=("m1",),
    )
    score, lines = engine.explain(QUESTIONS, mentor, mentee, Params())
    texts = {line.question: line.text for line in lines}
    assert texts["Meeting mode"] == "share online"
    assert texts["Research area"] == "both bio"
    assert texts["Department"] == "different, as asked (b and a)"
    assert texts["Language"] == "both en, as required"
    assert texts["Ranking"] == "the mentee's choice number 1"
    assert score == 2.0 + 1.5 + 1.0 + 3.0


def test_availability_is_compared_in_each_persons_zone():
    # 9:00 in Toronto (winter) is 15:00 in Paris: a Toronto morning meets a Paris afternoon.
    toronto = engine.availability_hours(["mon_morning"], "America/Toronto")
    paris = engine.availability_hours(["mon_afternoon"], "Europe/Paris")
    assert toronto & paris
    assert not engine.availability_hours(["mon_morning"], "Europe/Paris") & toronto


def test_a_pin_that_breaks_a_constraint_is_reported_not_placed():
    mentors = [Person("m1", "Mia", {"language": "en", "department": "a"})]
    mentees = [Person("e1", "Theo", {"language": "en", "department": "a"})]
    result = engine.match(QUESTIONS, mentors, mentees, Constraints(pinned=(("m1", "e1"),)))
    assert result.pairs == ()
    assert result.ignored_pins == (("m1", "e1", "the pair breaks a hard constraint"),)
