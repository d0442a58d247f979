"""The pairing import's checks: every row of an uploaded `mentor_email, mentee_email` CSV
against the program, before anything is written (lib/csvfile reads the file; this knows what
the columns mean). Three queries whatever the file's size; the import itself is
services.import_pairings, all or nothing."""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from mentorpact.accounts.models import User
from mentorpact.lib import csvfile
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program

COLUMNS = ["mentor_email", "mentee_email"]


class Outcome:
    PAIR = "New pairing"
    UNCHANGED = "Already paired: no change"


@dataclass(frozen=True)
class Pairing:
    line: int
    mentor: User
    mentee: User


@dataclass
class Preview:
    sheet: csvfile.Sheet
    pairings: list[Pairing] = field(default_factory=list)  # the new ones, in file order
    outcomes: dict[int, str] = field(default_factory=dict)  # by line

    @property
    def ok(self) -> bool:
        return self.sheet.ok

    def count(self, outcome: str) -> int:
        return sum(1 for value in self.outcomes.values() if value == outcome)

    @property
    def unchanged(self) -> int:
        return self.count(Outcome.UNCHANGED)

    @property
    def rows(self) -> list[tuple[csvfile.Row, str]]:
        return [(row, self.outcomes.get(row.line, "")) for row in self.sheet.rows]


def read_pairings(data, program: Program) -> Preview:
    return check_pairings(csvfile.read(data, columns=COLUMNS), program)


def _check_email(row: csvfile.Row, column: str) -> None:
    value = row[column]
    if not value:
        row.problem(column, "Required.")
        return
    try:
        validate_email(value)
    except ValidationError:
        row.problem(column, "Not an email address.")


def check_pairings(sheet: csvfile.Sheet, program: Program) -> Preview:
    preview = Preview(sheet=sheet)
    if sheet.refusal:
        return preview
    for row in sheet.rows:
        for column in COLUMNS:
            _check_email(row, column)
        if row["mentor_email"] and row["mentor_email"].lower() == row["mentee_email"].lower():
            row.problem("mentee_email", "A mentor cannot be their own mentee.")
    csvfile.flag_duplicates(
        sheet.rows, "mentee_email", message="This mentee is also on line {first}."
    )

    emails = {row[c].lower() for row in sheet.rows for c in COLUMNS if row[c]}
    enrolled: dict[tuple[str, str], Enrolment] = {}
    for enrolment in Enrolment.objects.filter(
        program=program,
        role__in=[Enrolment.Role.MENTOR, Enrolment.Role.MENTEE],
        user__email__in=emails,
    ).select_related("user"):
        enrolled[(enrolment.user.email.lower(), enrolment.role)] = enrolment
    open_pairs = Partnership.objects.filter(
        program=program, status__in=Partnership.OPEN_STATUSES
    ).values_list("mentor_id", "mentee_id", "mentor__full_name")
    mentor_of = {mentee: (mentor, name) for mentor, mentee, name in open_pairs}
    taken = Counter(mentor for mentor, _name in mentor_of.values())

    for row in sheet.rows:
        mentor = enrolled.get((row["mentor_email"].lower(), Enrolment.Role.MENTOR))
        mentee = enrolled.get((row["mentee_email"].lower(), Enrolment.Role.MENTEE))
        if row["mentor_email"] and mentor is None and not _column_has_problem(row, "mentor_email"):
            row.problem(
                "mentor_email", f"No mentor with this address in {program}: enrol them first."
            )
        if row["mentee_email"] and mentee is None and not _column_has_problem(row, "mentee_email"):
            row.problem(
                "mentee_email", f"No mentee with this address in {program}: enrol them first."
            )
        if mentor is None or mentee is None or not row.ok:
            continue
        current = mentor_of.get(mentee.user_id)
        if current is not None and current[0] == mentor.user_id:
            preview.outcomes[row.line] = Outcome.UNCHANGED
            continue
        if current is not None:
            row.problem(
                "mentee_email",
                f"Already paired with {current[1]}: undo that pairing on the pairing page first.",
            )
            continue
        taken[mentor.user_id] += 1
        if taken[mentor.user_id] > mentor.capacity:
            row.problem(
                "mentor_email",
                f"{mentor.user.full_name} would have {taken[mentor.user_id]} mentees; their "
                f"capacity is {mentor.capacity}.",
            )
            continue
        preview.outcomes[row.line] = Outcome.PAIR
        preview.pairings.append(Pairing(line=row.line, mentor=mentor.user, mentee=mentee.user))
    return preview


def _column_has_problem(row: csvfile.Row, column: str) -> bool:
    return any(problem.column == column for problem in row.problems)
