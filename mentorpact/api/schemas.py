"""What the API answers with (pydantic, through django-ninja): ids, names, roles, dates,
statuses and counts. Nothing here holds what the partners wrote (agreement content, notes,
agendas, places, feedback, reviews, requests for help): there is no field to put it in."""

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from ninja import Field, Schema

from mentorpact.office.forms import MAX_CAPACITY, time_zone_choices


class Problem(Schema):
    detail: str = Field(description="What went wrong, in a sentence.")
    errors: list[dict] = Field(default_factory=list, description="Per-field problems (422).")


class TokenOut(Schema):
    name: str
    scope: str = Field(description='"read" or "write"')


class MeOut(Schema):
    id: UUID
    email: str
    full_name: str
    token: TokenOut


class ProgramOut(Schema):
    id: UUID
    name: str
    sponsor: str
    contact_email: str
    kickoff_date: date | None
    agreement_due_date: date | None
    archived_at: datetime | None


class ProgramPage(Schema):
    count: int
    items: list[ProgramOut]


class RosterEntry(Schema):
    person: UUID
    email: str
    full_name: str
    department: str
    role: str
    capacity: int | None
    enrolled_at: datetime
    invited: bool = Field(description="Invited and not joined yet.")
    invitation: UUID | None
    mentoring: int = Field(description="Open partnerships as mentor.")
    mentored: int = Field(description="Open partnerships as mentee.")


class RosterPage(Schema):
    count: int
    items: list[RosterEntry]


class InvitationOut(Schema):
    id: UUID
    person: UUID
    email: str
    role: str
    sent_at: datetime | None
    accepted_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime


class InvitationPage(Schema):
    count: int
    items: list[InvitationOut]


# What Django's EmailValidator accepts (ASCII), so a schema-valid address is never refused.
EMAIL = (
    r"^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
# Some visible text and no NUL (Django's forms refuse NUL and strip blanks).
TEXT = r"^[^\x00]*[^\x00\s][^\x00]*$"


class Role(StrEnum):
    coordinator = "coordinator"
    mentor = "mentor"
    mentee = "mentee"


# The invite form's own choices ("" for unset), as an enum.
TimeZone = StrEnum(  # type: ignore[misc]  # members made from the form's choices
    "TimeZone", {zone or "unset": zone for zone, _label in time_zone_choices()}
)


class InviteIn(Schema):
    email: str = Field(min_length=6, max_length=254, pattern=EMAIL)
    full_name: str = Field(min_length=1, max_length=150, pattern=TEXT)
    role: Role
    department: str = Field("", max_length=150, pattern=r"^[^\x00]*$")
    time_zone: TimeZone = Field(TimeZone(""), description='"" leaves it unset (UTC).')
    capacity: int | None = Field(
        None, ge=1, le=MAX_CAPACITY, description="Mentors only (409 for anyone else)."
    )


class EnrolOut(Schema):
    invited: int
    enrolled: int
    updated: int
    unchanged: int


class PersonOut(Schema):
    id: UUID
    full_name: str


class PartnershipOut(Schema):
    id: UUID
    status: str
    mentor: PersonOut
    mentee: PersonOut
    created_at: datetime
    started_on: date | None
    ends_on: date | None
    agreement_due_on: date | None
    status_changed_at: datetime | None


class PartnershipPage(Schema):
    count: int
    items: list[PartnershipOut]


class PairingOut(Schema):
    partnership: UUID
    mentor: PersonOut
    mentee: PersonOut
    paired_at: datetime
    status: str


class PairingPage(Schema):
    count: int
    items: list[PairingOut]


class MeetingCounts(Schema):
    held: int
    scheduled: int
    cancelled: int
    last_contact_at: datetime | None
    next_meeting_at: datetime | None


class PartnershipDetail(PartnershipOut):
    program: UUID
    your_role: str = Field(description="mentor, mentee or coordinator")
    meetings: MeetingCounts


class VersionOut(Schema):
    number: int
    status: str
    amendment: bool
    signatures: int
    created_at: datetime
    effective_at: datetime | None
    superseded_at: datetime | None
    content_sha256: str = Field(description="SHA-256 of the content as signed (signed only).")
    pdf: bool = Field(description="Whether you may download its signed PDF.")


class AgreementOut(Schema):
    number: int
    status: str
    due_on: date | None
    in_effect_since: datetime | None
    versions: list[VersionOut]


class MeetingOut(Schema):
    id: UUID
    status: str
    starts_at: datetime
    time_zone: str
    duration_minutes: int
    mode: str
    cancelled_at: datetime | None


class EventOut(Schema):
    id: UUID
    program: UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    capacity: int | None
    required: bool
    invited_roles: list[str]
    attendance_recorded_at: datetime | None


class EventPage(Schema):
    count: int
    items: list[EventOut]


class AttendanceOut(Schema):
    person: UUID
    full_name: str
    role: str
    answer: str | None
    attended: bool | None


class EvaluationOut(Schema):
    id: UUID
    title: str
    named: bool
    status: str
    created_at: datetime
    closed_at: datetime | None
    asked: int | None = Field(
        description="Partners whose round has opened so far (null: one to four)."
    )
    answered: int | None = Field(description="Partners who answered (null: one to four).")
    rate: int | None = Field(
        description="Answered of asked, in percent (null when either count is one to four)."
    )


class AnswerCount(Schema):
    answer: str
    count: int


class QuestionFigureOut(Schema):
    key: str
    label: str
    kind: str
    suppressed: bool = Field(
        description="Fewer than five respondents behind it (or behind the rest of the "
        "partners, for one role's figure): nothing else is given."
    )
    respondents: int | None
    mean: float | None = Field(description="Scale questions.")
    counts: list[AnswerCount] = Field(description="Scale and choice questions.")


class EvaluationSummaryOut(Schema):
    id: UUID
    title: str
    role: str = Field(description='"" for everyone, or "mentor" or "mentee".')
    asked: int | None = Field(description="Null: one to four (lib.suppression).")
    answered: int | None = Field(description="Null: one to four.")
    rate: int | None
    questions: list[QuestionFigureOut]
