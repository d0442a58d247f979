"""Helpers for the evaluations' tests: an evaluation of the persona program and a round of it
for a partnership, written as progress.due_rows writes them (services.sync_rounds)."""

import datetime

from django.utils import timezone

from mentorpact.evaluations import form, services
from mentorpact.evaluations.models import Evaluation, Round
from mentorpact.evaluations.schedule import Occurrence


def an_evaluation(t, source: str = form.EXAMPLE) -> Evaluation:
    return services.create_evaluation(program=t.program, actor=t.cora, source=source)


def a_round(
    evaluation: Evaluation,
    partnership,
    *,
    key: str = "midpoint",
    opens_on: datetime.date | None = None,
    days: int = 21,
) -> Round:
    opens_on = opens_on or timezone.localdate()
    occurrence = Occurrence(key, opens_on, opens_on + datetime.timedelta(days=days - 1))
    services.sync_rounds([(partnership.pk, evaluation.pk, occurrence)])
    return Round.objects.get(evaluation=evaluation, partnership=partnership, key=key)


ANSWERS = {"useful": "4", "format": "Online", "comments": "We meet on Tuesdays."}
