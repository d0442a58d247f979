"""When an evaluation is asked of a partnership: its rounds, from the partnership's facts.

Pure: progress.due passes the facts it reads (the pairing day, the first meeting held, the
agreed term) and gets each round's key, the day it opens and its deadline (the last day
answers are taken and may be edited). progress keeps a `Round` row for each (due_rows), so
the answer page and the response rates read rows, not facts."""

import datetime
from dataclasses import dataclass

from mentorpact.evaluations.form import EvaluationForm
from mentorpact.lib.dates import add_months

CLOSING_NOTICE = datetime.timedelta(days=14)  # asked two weeks before the agreed end
EVERY_MONTHS_AT_MOST = 12  # rounds of an "every N months" evaluation with no agreed end


@dataclass(frozen=True)
class Facts:
    paired_on: datetime.date
    first_meeting_on: datetime.date | None
    starts_on: datetime.date | None  # the agreement in effect's term
    midpoint_on: datetime.date | None
    ends_on: datetime.date | None


@dataclass(frozen=True)
class Occurrence:
    key: str  # which round, within the evaluation and partnership ("midpoint", "2027-03-01")
    opens_on: datetime.date
    closes_on: datetime.date  # the deadline, inclusive


def occurrences(form: EvaluationForm, facts: Facts) -> list[Occurrence]:
    window = datetime.timedelta(days=form.answer_within_days - 1)

    def at(key: str, day: datetime.date) -> Occurrence:
        return Occurrence(key, day, min(day + window, datetime.date.max))

    if form.when == "dates":
        # A pair paired after a date's deadline is not asked that round.
        return [at(f"{d:%Y-%m-%d}", d) for d in form.dates if d + window >= facts.paired_on]
    if form.when == "first_meeting":
        return [at("first_meeting", facts.first_meeting_on)] if facts.first_meeting_on else []
    if form.when == "midpoint":
        return [at("midpoint", facts.midpoint_on)] if facts.midpoint_on else []
    if form.when == "closing":
        if facts.ends_on is None:
            return []
        return [
            at("closing", max(facts.ends_on - CLOSING_NOTICE, facts.starts_on or facts.paired_on))
        ]
    # every_months: from the agreement's start, every N months, until its agreed end.
    if facts.starts_on is None or form.months is None:
        return []
    found = []
    for n in range(1, EVERY_MONTHS_AT_MOST + 1):
        day = add_months(facts.starts_on, form.months * n)
        if facts.ends_on is not None and day > facts.ends_on:
            break
        found.append(at(f"month-{form.months * n}", day))
    return found
