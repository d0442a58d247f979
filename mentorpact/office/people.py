"""The people import's checks: every row of an uploaded CSV against the rules and the
program, before anything is written (lib/csvfile reads the file; this knows what the
columns mean). Two queries whatever the file's size."""

import zoneinfo
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from mentorpact.accounts.models import User
from mentorpact.lib import csvfile
from mentorpact.programs.models import Enrolment, Program

COLUMNS = ["email", "name", "role"]
OPTIONAL = ["department", "time_zone", "capacity"]
MAX_CAPACITY = 20
ROLES = {role.value: role for role in Enrolment.Role}


@dataclass(frozen=True)
class Person:
    """One person to enrol: a row of the people import, or the invite form."""

    email: str
    full_name: str
    role: str
    department: str = ""
    time_zone: str = ""
    capacity: int | None = None  # mentors only; None keeps the current (or the default, 1)


# What has_joined reads: an import loads thousands of accounts, only these columns of each.
JOIN_FIELDS = ("email", "password", "last_login")


def has_joined(user: User) -> bool:
    """Has this account ever been used (a password set, or a sign-in)?"""
    return user.has_usable_password() or user.last_login is not None


class Outcome:
    INVITE = "Invitation"
    ENROL = "Existing account: enrolled and told"
    UPDATE = "Already enrolled: capacity changes"
    UNCHANGED = "Already enrolled: no change"


@dataclass
class Preview:
    sheet: csvfile.Sheet
    people: list[Person] = field(default_factory=list)
    outcomes: dict[int, str] = field(default_factory=dict)  # by line

    @property
    def ok(self) -> bool:
        return self.sheet.ok

    def count(self, outcome: str) -> int:
        return sum(1 for value in self.outcomes.values() if value == outcome)

    @property
    def changes(self) -> int:
        return len(self.outcomes) - self.count(Outcome.UNCHANGED)

    @property
    def rows(self) -> list[tuple[csvfile.Row, str]]:
        return [(row, self.outcomes.get(row.line, "")) for row in self.sheet.rows]


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def read_people(data, program: Program) -> Preview:
    return check_people(csvfile.read(data, columns=COLUMNS, optional=OPTIONAL), program)


def check_people(sheet: csvfile.Sheet, program: Program) -> Preview:
    preview = Preview(sheet=sheet)
    if sheet.refusal:
        return preview
    for row in sheet.rows:
        _check_cells(row)
    csvfile.flag_duplicates(sheet.rows, "email", message="This address is also on line {first}.")
    emails = {row["email"].lower() for row in sheet.rows if row["email"]}
    users = {user.email: user for user in User.objects.filter(email__in=emails).only(*JOIN_FIELDS)}
    held: dict[int, dict[str, Enrolment]] = {}
    for enrolment in Enrolment.objects.filter(program=program, user__in=users.values()).only(
        "user_id", "role", "capacity"
    ):
        held.setdefault(enrolment.user_id, {})[enrolment.role] = enrolment
    for row in sheet.rows:
        user = users.get(row["email"].lower())
        role = row["role"].lower()
        roles = held.get(user.pk, {}) if user else {}
        others = sorted(set(roles) - {role})
        if others:
            row.problem("role", f"Already enrolled in this program as {' and '.join(others)}.")
        if not row.ok:
            continue
        capacity = int(row["capacity"]) if row["capacity"] else None
        preview.people.append(
            Person(
                email=row["email"].lower(),
                full_name=row["name"],
                role=role,
                department=row["department"],
                time_zone=row["time_zone"],
                capacity=capacity,
            )
        )
        if role in roles:
            enrolment = roles[role]
            changes = capacity is not None and enrolment.capacity != capacity
            preview.outcomes[row.line] = Outcome.UPDATE if changes else Outcome.UNCHANGED
        elif user is not None and has_joined(user):
            preview.outcomes[row.line] = Outcome.ENROL
        else:
            preview.outcomes[row.line] = Outcome.INVITE
    if not sheet.ok:
        preview.people = []
    return preview


def _check_cells(row: csvfile.Row) -> None:
    # A cell already marked (a formula prefix) gets no second message.
    marked = {problem.column for problem in row.problems}
    email = row["email"]
    if "email" not in marked:
        if not email:
            row.problem("email", "An email address is needed.")
        else:
            try:
                validate_email(email)
            except ValidationError:
                row.problem("email", f"“{email}” is not an email address.")
            else:
                if len(email) > 254:
                    row.problem("email", "The address is longer than 254 characters.")
    if "name" not in marked:
        if not row["name"]:
            row.problem("name", "A name is needed.")
        elif len(row["name"]) > 150:
            row.problem("name", "The name is longer than 150 characters.")
    role = row["role"].lower()
    if "role" not in marked and role not in ROLES:
        shown = f"“{row['role']}”" if row["role"] else "(blank)"
        row.problem("role", f"Unknown role {shown}: use mentor, mentee or coordinator.")
    if "department" not in marked and len(row["department"]) > 150:
        row.problem("department", "The department is longer than 150 characters.")
    zone = row["time_zone"]
    if "time_zone" not in marked and zone and zone not in time_zones():
        row.problem("time_zone", f"Unknown time zone “{zone}”: use a name like Europe/London.")
    capacity = row["capacity"]
    if "capacity" not in marked and capacity:
        if role != Enrolment.Role.MENTOR:
            row.problem("capacity", "Only mentors take mentees: leave capacity blank.")
        elif (
            not (capacity.isascii() and capacity.isdigit())
            or not 1 <= int(capacity) <= MAX_CAPACITY
        ):
            row.problem("capacity", f"Capacity is a whole number of mentees, 1 to {MAX_CAPACITY}.")
