"""Benchmark the match: 1,000 mentees x 400 mentors with capacities 1-3, on one core.

    .venv/bin/python bench/matching.py               # 1,000 x 400
    .venv/bin/python bench/matching.py 2000 800      # other sizes

The cohort is random but seeded: five questions of every compared kind (two must rules, three
weighted), three-mentor rankings, a few declines. It prints the time of the scores (`table`),
of the whole `match` (scores, assignment and every pair's explanation), wall and CPU (on a
busy machine the CPU time is what one free core would take), and the peak memory tracemalloc
saw in a second run (numpy's arrays included: numpy reports its allocations to tracemalloc).
The thread pools are limited to one thread before numpy is imported, so it runs on one core.
"""

import os
import sys
import time
import tracemalloc
from pathlib import Path

for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[name] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import random  # noqa: E402

from mentorpact.matching import engine  # noqa: E402
from mentorpact.matching.engine import Constraints, Person, Question  # noqa: E402

AREAS = tuple(f"area_{i}" for i in range(12))
DEPARTMENTS = tuple(f"dept_{i}" for i in range(20))
QUESTIONS = (
    Question("language", "Language", "choice", "must_match", options=("en", "fr")),
    Question("department", "Department", "choice", "must_differ", options=DEPARTMENTS),
    Question("mode", "Meeting mode", "modes", "should_match", 2.0, options=engine.MODE_OPTIONS),
    Question("area", "Research area", "multichoice", "should_match", 1.5, options=AREAS),
    Question("when", "Availability", "availability", "should_match", 1.0),
    Question("pace", "Pace", "scale", "should_match", 0.5),
)
ZONES = ("Europe/Paris", "America/Toronto", "UTC", "Asia/Tokyo")


def person(rng: random.Random, id: str, capacity: int = 1, ranking=()) -> Person:
    answers = {
        "language": "en" if rng.random() < 0.9 else "fr",
        "department": rng.choice(DEPARTMENTS),
        "mode": rng.sample(engine.MODE_OPTIONS, rng.randint(1, 3)),
        "area": rng.sample(AREAS, rng.randint(1, 3)),
        "when": rng.sample(engine.AVAILABILITY_OPTIONS, rng.randint(2, 8)),
        "pace": rng.randint(1, 5),
    }
    return Person(id, id, answers, capacity, rng.choice(ZONES), tuple(ranking))


def cohort(mentees: int, mentors: int, seed: int = 16):
    rng = random.Random(seed)
    mentor_list = [person(rng, f"m{i}", rng.randint(1, 3)) for i in range(mentors)]
    ids = [m.id for m in mentor_list]
    mentee_list = [person(rng, f"e{i}", ranking=rng.sample(ids, 3)) for i in range(mentees)]
    declined = frozenset(
        (rng.choice(ids), f"e{rng.randrange(mentees)}") for _ in range(mentees // 10)
    )
    return mentor_list, mentee_list, Constraints(declined=declined)


def main() -> None:
    mentees = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    mentors = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    mentor_list, mentee_list, constraints = cohort(mentees, mentors)
    slots = sum(m.capacity for m in mentor_list)
    print(f"{mentees:,} mentees x {mentors:,} mentors ({slots:,} places, capacities 1-3)")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    started = time.perf_counter()
    engine.table(QUESTIONS, mentor_list, mentee_list, constraints, engine.Params())
    print(f"scores of every pair (table): {time.perf_counter() - started:.2f} s")

    started = time.perf_counter()
    cpu = time.process_time()
    result = engine.match(QUESTIONS, mentor_list, mentee_list, constraints)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    print(f"match (scores, assignment, explanations): {wall:.2f} s wall, {cpu:.2f} s CPU")
    # Again under tracemalloc, for the memory only (tracing slows Python code down).
    tracemalloc.start()
    engine.match(QUESTIONS, mentor_list, mentee_list, constraints)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak memory of the match (tracemalloc): {peak / 2**20:.1f} MiB")
    print(
        f"pairs {len(result.pairs):,}, unmatched {len(result.unmatched):,}, "
        f"total score {result.total_score:,.1f}"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
