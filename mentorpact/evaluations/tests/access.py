"""Objects the access matrix probes the evaluations URLs with: the example evaluation in the
persona program, with a round of Mia and Theo's partnership open today. Made once per test
case."""

from mentorpact.evaluations.tests import a_round, an_evaluation


def evaluation(t):
    if not hasattr(t, "evaluations_round"):
        t.evaluations_evaluation = an_evaluation(t)
        t.evaluations_round = a_round(t.evaluations_evaluation, t.partnership)
    return t.evaluations_evaluation


def evaluation_kwargs(t) -> dict:
    return {"evaluation_id": evaluation(t).public_id}


def round_kwargs(t) -> dict:
    found = evaluation(t)
    return {"evaluation_id": found.public_id, "code": t.partnership.public_id, "key": "midpoint"}
