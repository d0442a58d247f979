"""A program with pairs in every stage, made through the services with the clock moved, for the
dashboard's tests (and its browser journey).

Cora's program (mentorpact.test personas) runs the stand-in form (distribution "program", so
its signed agreements are the program's), its signed agreements due 23 February 2027 and
contact at least once a month. Everyone is paired on 5 January 2027; the tests look at the
program on VIEWED (1 March 2027), when the drafting pairs' agreements are overdue.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import TestCase

from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements import services as agreement_services
from mentorpact.agreements.models import AgreementVersion
from mentorpact.agreements.tests.base import MENTEE_PART, MENTOR_PART, draft_of, make_template
from mentorpact.evaluations.models import Evaluation, Response, Round
from mentorpact.events.models import Invitation, ProgramEvent
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program
from mentorpact.progress.tests.base import hold_meetings, sign_as_both
from mentorpact.test import make_user

SPONSOR = "Research Office"

PAIRED = datetime(2027, 1, 5, 10, 0, tzinfo=UTC)
ON_TIME = datetime(2027, 1, 20, 10, 0, tzinfo=UTC)
LATE = datetime(2027, 2, 26, 10, 0, tzinfo=UTC)
ENDED = datetime(2027, 2, 27, 10, 0, tzinfo=UTC)
VIEWED = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)

# Each group's pairs: how they stand on VIEWED.
GROUPS = ("drafting", "on_time", "late", "concluded", "ended_early")


@dataclass
class Cohort:
    program: Program
    groups: dict[str, list[Partnership]] = field(default_factory=dict)
    event: ProgramEvent | None = None
    evaluation: Evaluation | None = None

    def ids(self, *groups: str) -> set[int]:
        return {p.pk for g in groups for p in self.groups[g]}


def prepare(program: Program) -> None:
    set_template(program, make_template("program"))
    program.rules = {"min_contact": {"times": 1, "per": "month"}}
    program.save()


def _sign(partnership: Partnership, at: datetime) -> AgreementVersion:
    with time_machine.travel(at):
        agreement = agreement_services.start_agreement(
            partnership=partnership, actor=partnership.mentor
        )
        version = draft_of(agreement)
        for user, values in ((partnership.mentee, MENTEE_PART), (partnership.mentor, MENTOR_PART)):
            version = agreement_services.save_draft(
                agreement=agreement, user=user, values=values, based_on_revision=version.revision
            )
        sign_as_both(partnership, version)
    return version


def build_cohort(
    program: Program, coordinator, *, per_group: int = 5, department: str = "Physics"
) -> Cohort:
    """`per_group` pairs in each of GROUPS, named by group and number, the mentors and
    mentees of the first pair of each group in `department` (the rest in "Chemistry")."""
    prepare(program)
    cohort = Cohort(program)
    for group in GROUPS:
        cohort.groups[group] = []
        for n in range(per_group):
            dept = department if n == 0 else "Chemistry"
            mentor = make_user(f"{group}-mentor-{n}@example.org", f"Mentor {group} {n}")
            mentee = make_user(f"{group}-mentee-{n}@example.org", f"Mentee {group} {n}")
            for user, role in ((mentor, "mentor"), (mentee, "mentee")):
                user.department = dept
                user.save(update_fields=["department"])
                Enrolment.objects.create(program=program, user=user, role=role)
            with time_machine.travel(PAIRED):
                partnership = partnership_services.create_partnership(
                    program=program, mentor=mentor, mentee=mentee, actor=coordinator
                )
            if group == "drafting":
                with time_machine.travel(PAIRED + timedelta(days=1)):
                    agreement_services.start_agreement(partnership=partnership, actor=mentor)
            else:
                _sign(partnership, LATE if group == "late" else ON_TIME)
                with time_machine.travel(ENDED):
                    # Meetings a week apart up to a week before VIEWED (2 to 4 of them).
                    hold_meetings(partnership, 2 + n % 3, last_contact=VIEWED - timedelta(days=7))
                if group in ("concluded", "ended_early"):
                    partnership.refresh_from_db()
                    with time_machine.travel(ENDED):
                        partnership_services.change_status(
                            partnership=partnership,
                            to_status=group,
                            actor=coordinator,
                        )
            partnership.refresh_from_db()
            cohort.groups[group].append(partnership)
    cohort.event = networking_event(program, coordinator, cohort)
    cohort.evaluation = check_in(program, coordinator, cohort)
    return cohort


def check_in(program: Program, coordinator, cohort: Cohort) -> Evaluation:
    """An evaluation asked of every signed pair on 15 February 2027: the mentors of the pairs
    that signed on time or late answered (10 answers of the 40 partners asked)."""
    opens = datetime(2027, 2, 15, tzinfo=UTC)
    evaluation = Evaluation.objects.create(
        program=program,
        source="title: Check-in\n",
        title="Check-in",
        created_by=coordinator,
        created_at=opens,
        updated_at=opens,
    )
    for group in ("on_time", "late", "concluded", "ended_early"):
        for p in cohort.groups.get(group, []):
            asked = Round.objects.create(
                evaluation=evaluation,
                partnership=p,
                key="2027-02-15",
                opens_on=opens.date(),
                closes_on=opens.date() + timedelta(days=21),
            )
            if group in ("on_time", "late"):
                Response.objects.create(
                    round=asked,
                    respondent=p.mentor,
                    role="mentor",
                    answers={"useful": "4"},
                    submitted_at=opens,
                    updated_at=opens,
                )
    return evaluation


def networking_event(program: Program, coordinator, cohort: Cohort) -> ProgramEvent:
    """An event on 10 February 2027 every pair's people were invited to, its attendance
    recorded: the people of the signed pairs came (40), the drafting pairs' did not (10)."""
    starts = datetime(2027, 2, 10, 17, 0, tzinfo=UTC)
    event = ProgramEvent.objects.create(
        program=program,
        title="Networking evening",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        time_zone="UTC",
        place="The atrium",
        created_by=coordinator,
        attendance_recorded_at=starts + timedelta(hours=3),
    )
    for group, partnerships in cohort.groups.items():
        for p in partnerships:
            for user, role in ((p.mentor, "mentor"), (p.mentee, "mentee")):
                Invitation.objects.create(
                    event=event, user=user, role=role, answer="yes", attended=group != "drafting"
                )
    return event


def cohort_program(name: str = "Peer Mentoring") -> tuple[Program, object]:
    """Cora and her program, as the personas have them, without their own pair."""
    cora = make_user("cora@example.org", "Cora Coordinator")
    program = Program.objects.create(
        name=name,
        sponsor=SPONSOR,
        contact_email="office@example.org",
        return_address="office@example.org",
        kickoff_date=datetime(2027, 1, 15).date(),
        agreement_due_date=datetime(2027, 2, 23).date(),
    )
    Enrolment.objects.create(program=program, user=cora, role=Enrolment.Role.COORDINATOR)
    return program, cora


class CohortTestCase(TestCase):
    """The cohort, built once for the class (it takes a while: every pair is signed through
    the services); each test looks at it on VIEWED, signed in as Cora."""

    per_group = 5
    program: Program
    cohort: Cohort

    @classmethod
    def setUpTestData(cls):
        cls.program, cls.cora = cohort_program()
        cls.olive = make_user("olive@example.org", "Olive Outsider")
        cls.cohort = build_cohort(cls.program, cls.cora, per_group=cls.per_group)

    def setUp(self):
        super().setUp()
        traveller = time_machine.travel(VIEWED, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        self.client.force_login(self.cora)
