"""Objects the access matrix (mentorpact/tests/test_access_matrix.py) needs for matching's
URLs: the persona program with intake questions, and a run of its match."""

from mentorpact.matching import services
from mentorpact.matching.tests import save_questions


def program_with_questions(t) -> dict:
    save_questions(t.program, t.cora)
    return {"program_id": t.program.public_id}


def run_kwargs(t) -> dict:
    save_questions(t.program, t.cora)
    run = services.run_match(program=t.program, actor=t.cora)
    return {"run_id": run.public_id}
