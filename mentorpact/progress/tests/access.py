"""Objects the access matrix (mentorpact/tests/test_access_matrix.py) probes the progress URLs
with, made once per test case: Mia and Theo's partnership in a second program Cora coordinates,
on the WHPRMS form (goals and commitments), its agreement signed and the action plan started.
A program of its own, so that other apps' probes of the persona partnership's agreement do not
meet this one."""

from mentorpact.agreement_templates.tests import set_template
from mentorpact.partnerships import services as partnership_services
from mentorpact.programs.models import Enrolment, Program
from mentorpact.progress import services
from mentorpact.progress.models import ActionPlan
from mentorpact.progress.tests.base import CONTENT, install_template, sign_agreement


def signed_plan(t) -> ActionPlan:
    if not hasattr(t, "progress_plan"):
        program = Program.objects.create(name="Progress probes")
        set_template(program, install_template("whprms-partnership"))
        for user, role in ((t.cora, "coordinator"), (t.mia, "mentor"), (t.theo, "mentee")):
            Enrolment.objects.create(program=program, user=user, role=role)
        partnership = partnership_services.create_partnership(
            program=program, mentor=t.mia, mentee=t.theo
        )
        sign_agreement(partnership, CONTENT["whprms-partnership"])
        t.progress_plan = services.start_action_plan(partnership=partnership, actor=t.theo)
    return t.progress_plan


def plan_item_kwargs(t) -> dict:
    plan = signed_plan(t)
    return {"code": plan.partnership.public_id, "item_id": plan.items.all()[0].public_id}


def commitment_kwargs(t) -> dict:
    plan = signed_plan(t)
    return {
        "code": plan.partnership.public_id,
        "commitment_id": plan.commitments.all()[0].public_id,
    }
