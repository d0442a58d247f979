"""The REST API, version 1 (django-ninja): /api/v1/, its OpenAPI 3.1 schema at
/api/v1/openapi.json and interactive docs at /api/v1/docs (Swagger UI, served from ninja's
own static files: nothing from a CDN).

Every operation is a page's read or write over HTTP: its first line is the same
permission-scoped selector the page's view starts with, and a write calls the page's
service. So the API never reaches what the page would refuse (a coordinator gets 403 where
the page says 403, an outsider 404), and it has no field for anything the partners wrote
(schemas.py). A personal access token (accounts.AccessToken, made on the profile page) is
the only way in: `Authorization: Bearer <token>`; a "read" token is refused every write.
"""

from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Query, Schema, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import Field

from mentorpact.accounts import services as account_services
from mentorpact.accounts.models import AccessToken, User
from mentorpact.agreements import pdf
from mentorpact.agreements import selectors as agreement_selectors
from mentorpact.agreements import services as agreement_services
from mentorpact.api import schemas
from mentorpact.audit import services as audit
from mentorpact.evaluations import selectors as evaluation_selectors
from mentorpact.events import selectors as event_selectors
from mentorpact.lib import suppression
from mentorpact.meetings import selectors as meeting_selectors
from mentorpact.office import selectors as office_selectors
from mentorpact.office import services as office_services
from mentorpact.office.forms import InviteForm
from mentorpact.partnerships import selectors as partnership_selectors
from mentorpact.partnerships.models import Partnership
from mentorpact.programs import selectors as program_selectors

MAX_PAGE = 500


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class TokenAuth(HttpBearer):
    """A live personal access token: its owner becomes `request.user` for the selectors."""

    def authenticate(self, request: HttpRequest, token: str) -> AccessToken | None:
        use = account_services.use_access_token(raw=token)
        if use.token is None:
            return None
        if use.retry_after:
            raise RateLimited(use.retry_after)
        request.user = use.token.user
        return use.token


api = NinjaAPI(
    title="Mentorpact API",
    version="1",
    description=(
        "Programs, their people, pairings, partnerships, agreements' metadata and signed PDFs, "
        "meetings' dates and statuses, events and attendance, evaluations' response rates and "
        "aggregates (never an answer): what you see on the pages, no more. Authenticate with "
        "a personal access token from your profile page "
        "(`Authorization: Bearer <token>`). Each token may make a limited number of requests "
        "a minute (600 unless the installation set API_RATE_LIMIT): past it, 429 with "
        "Retry-After."
    ),
    urls_namespace="api_v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=TokenAuth(),
)

# Every operation may answer these besides its success (each body a Problem).
REFUSALS: dict[int, Any] = {
    400: schemas.Problem,  # a body that is not JSON at all
    401: schemas.Problem,
    403: schemas.Problem,
    404: schemas.Problem,
    422: schemas.Problem,
    429: schemas.Problem,
}


def answers(ok: Any, status: int = 200) -> dict[int, Any]:
    return {status: ok, **REFUSALS}


def _problem(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def _denied(request: HttpRequest, status: int) -> None:
    """A refusal goes in the audit trail, as the pages' (audit.middleware) do."""
    match = request.resolver_match
    user = request.user if isinstance(request.user, User) else None
    audit.record(
        "access.denied",
        actor=user,
        status=status,
        method=request.method,
        view=match.view_name if match else "",
        ids={k: v for k, v in (match.kwargs if match else {}).items() if _is_uuid(v)},
        via="api",
    )


def _is_uuid(value: object) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    _denied(request, 404)
    return _problem(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    _denied(request, 403)
    return _problem(request, 403, str(exc) or "You may not do this.")


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _problem(
        request, 401, "Send a live personal access token: Authorization: Bearer <token>."
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _problem(request, 429, f"Too many requests: try again in {exc.retry_after} s.")
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(NinjaValidationError)
def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    return _problem(request, 422, "The request is not valid.", errors=errors)


class Paging(Schema):
    limit: int = Field(100, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=10**9)


def page(rows: QuerySet, paging: Paging, item: Callable[[Any], dict]) -> dict:
    return {
        "count": rows.count(),
        "items": [item(row) for row in rows[paging.offset : paging.offset + paging.limit]],
    }


def _token(request: HttpRequest) -> AccessToken:
    token = request.auth  # type: ignore[attr-defined]  # set by ninja from TokenAuth
    assert isinstance(token, AccessToken)
    return token


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _require_write(request: HttpRequest) -> None:
    if not _token(request).may_write:
        raise PermissionDenied("This token may only read: make a read-and-write token.")


# --- You -----------------------------------------------------------------------------------


@api.get("/me", response=answers(schemas.MeOut), tags=["you"], summary="Whose token this is")
def me(request: HttpRequest) -> dict:
    user, token = _user(request), _token(request)
    return {
        "id": user.public_id,
        "email": user.email,
        "full_name": user.full_name,
        "token": {"name": token.name, "scope": token.scope},
    }


# --- Programs (their coordinators) ---------------------------------------------------------


def _program(program) -> dict:
    return {
        "id": program.public_id,
        "name": program.name,
        "sponsor": program.sponsor,
        "contact_email": program.contact_email,
        "kickoff_date": program.kickoff_date,
        "agreement_due_date": program.agreement_due_date,
        "archived_at": program.archived_at,
    }


@api.get(
    "/programs", response=answers(schemas.ProgramPage), tags=["programs"], summary="Your programs"
)
def programs(request: HttpRequest, paging: Query[Paging]) -> dict:
    """The programs you coordinate (none for a mentor or mentee)."""
    return page(program_selectors.programs_coordinated_by(_user(request)), paging, _program)


@api.get("/programs/{program_id}", response=answers(schemas.ProgramOut), tags=["programs"])
def program(request: HttpRequest, program_id: UUID) -> dict:
    return _program(program_selectors.get_program_for_coordinator(_user(request), program_id))


@api.get(
    "/programs/{program_id}/roster",
    response=answers(schemas.RosterPage),
    tags=["people"],
    summary="Everyone enrolled",
)
def roster(request: HttpRequest, program_id: UUID, paging: Query[Paging], role: str = "") -> dict:
    the_program = program_selectors.get_program_for_coordinator(_user(request), program_id)

    def entry(row) -> dict:
        return {
            "person": row.user.public_id,
            "email": row.user.email,
            "full_name": row.user.full_name,
            "department": row.user.department,
            "role": row.role,
            "capacity": row.capacity,
            "enrolled_at": row.created_at,
            "invited": row.invited,
            "invitation": row.invitation_id,
            "mentoring": row.mentoring,
            "mentored": row.mentored,
        }

    rows = office_selectors.roster(the_program, role=role).order_by("user__full_name", "pk")
    return page(rows, paging, entry)


@api.get(
    "/programs/{program_id}/invitations",
    response=answers(schemas.InvitationPage),
    tags=["people"],
)
def invitations(request: HttpRequest, program_id: UUID, paging: Query[Paging]) -> dict:
    the_program = program_selectors.get_program_for_coordinator(_user(request), program_id)

    def item(invitation) -> dict:
        return {
            "id": invitation.public_id,
            "person": invitation.user.public_id,
            "email": invitation.user.email,
            "role": invitation.role,
            "sent_at": invitation.sent_at,
            "accepted_at": invitation.accepted_at,
            "revoked_at": invitation.revoked_at,
            "created_at": invitation.created_at,
        }

    return page(office_selectors.program_invitations(the_program), paging, item)


@api.post(
    "/programs/{program_id}/invitations",
    response={**answers(schemas.EnrolOut, 201), 409: schemas.Problem},
    tags=["people"],
    summary="Invite or enrol one person (write)",
)
def invite(
    request: HttpRequest, program_id: UUID, person: schemas.InviteIn
) -> Status | HttpResponse:
    """The People page's "Invite someone": a new address gets an account and an emailed
    invitation, an existing account is enrolled and told; the same person again changes
    nothing. Refusals (another role held already, a bad time zone) are 422 with the field."""
    the_program = program_selectors.get_program_for_coordinator(_user(request), program_id)
    _require_write(request)
    values = person.model_dump(mode="json")
    form = InviteForm({k: "" if v is None else v for k, v in values.items()})
    if not form.is_valid():
        return _refused(request, form.errors.get_json_data())
    data = form.cleaned_data
    try:
        result = office_services.enrol_people(
            program=the_program,
            people=[
                office_services.Person(
                    email=data["email"],
                    full_name=data["full_name"],
                    role=data["role"],
                    department=data["department"],
                    time_zone=data["time_zone"],
                    capacity=data["capacity"],
                )
            ],
            actor=_user(request),
        )
    except ValidationError as error:
        return _refused(request, {"__all__": [{"message": m} for m in error.messages]})
    return Status(
        201,
        {
            "invited": result.invited,
            "enrolled": result.enrolled,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )


def _refused(request: HttpRequest, errors: dict[str, list[dict]]) -> HttpResponse:
    """409: a request the schema allows that the program's rules refuse (the page's form or
    service said no: a capacity for someone not a mentor, a role held already), each
    problem with its field; 422 is kept for a request outside the schema."""
    problems = [
        {"loc": ["body", "person", field], "msg": problem["message"]}
        for field, problems in errors.items()
        for problem in problems
    ]
    return _problem(request, 409, problems[0]["msg"] if problems else "Refused.", errors=problems)


# --- Pairings and partnerships -------------------------------------------------------------


def _person(user) -> dict:
    return {"id": user.public_id, "full_name": user.full_name}


def _partnership(partnership: Partnership) -> dict:
    return {
        "id": partnership.public_id,
        "status": partnership.status,
        "mentor": _person(partnership.mentor),
        "mentee": _person(partnership.mentee),
        "created_at": partnership.created_at,
        "started_on": partnership.started_on,
        "ends_on": partnership.ends_on,
        "agreement_due_on": partnership.agreement_due_on,
        "status_changed_at": partnership.status_changed_at,
    }


@api.get(
    "/programs/{program_id}/pairings",
    response=answers(schemas.PairingPage),
    tags=["partnerships"],
    summary="Who is paired with whom (open partnerships)",
)
def pairings(request: HttpRequest, program_id: UUID, paging: Query[Paging]) -> dict:
    the_program = program_selectors.get_program_for_coordinator(_user(request), program_id)
    rows = partnership_selectors.program_partnerships(the_program).filter(
        status__in=Partnership.OPEN_STATUSES
    )

    def item(partnership: Partnership) -> dict:
        return {
            "partnership": partnership.public_id,
            "mentor": _person(partnership.mentor),
            "mentee": _person(partnership.mentee),
            "paired_at": partnership.created_at,
            "status": partnership.status,
        }

    return page(rows, paging, item)


@api.get(
    "/programs/{program_id}/partnerships",
    response=answers(schemas.PartnershipPage),
    tags=["partnerships"],
)
def program_partnerships(
    request: HttpRequest,
    program_id: UUID,
    paging: Query[Paging],
    status: Partnership.Status | None = None,
) -> dict:
    """Every partnership of the program, newest first; `status` keeps one."""
    the_program = program_selectors.get_program_for_coordinator(_user(request), program_id)
    rows = partnership_selectors.program_partnerships(
        the_program, status=status.value if status else None
    )
    return page(rows, paging, _partnership)


@api.get(
    "/partnerships/{partnership_id}",
    response=answers(schemas.PartnershipDetail),
    tags=["partnerships"],
)
def partnership(request: HttpRequest, partnership_id: UUID) -> dict:
    """Its metadata, status and meeting counts: the partners and the program's coordinators."""
    access = partnership_selectors.get_partnership_for_user(_user(request), partnership_id)
    the_partnership = access.partnership
    return {
        **_partnership(the_partnership),
        "program": the_partnership.program.public_id,
        "your_role": access.role,
        "meetings": asdict(meeting_selectors.meeting_summary(the_partnership)),
    }


@api.get(
    "/partnerships/{partnership_id}/agreements",
    response=answers(list[schemas.AgreementOut]),
    tags=["agreements"],
    summary="Its agreements and their versions (metadata)",
)
def agreements(request: HttpRequest, partnership_id: UUID) -> list[dict]:
    """Numbers, statuses, dates and hashes, never content. A coordinator sees the signed
    versions only (drafts are the partners'); `pdf` says whether you may download one."""
    access = partnership_selectors.get_partnership_for_user(_user(request), partnership_id)
    out = []
    for agreement in agreement_selectors.agreements_of(access.partnership):
        versions = agreement_selectors.version_metadata(
            agreement, signed_only=access.is_coordinator
        )
        out.append(
            {
                "number": agreement.number,
                "status": agreement.status,
                "due_on": agreement.due_on,
                "in_effect_since": agreement.in_effect_since,
                "versions": [
                    {
                        "number": version.number,
                        "status": version.status,
                        "amendment": version.is_amendment,
                        "signatures": version.signature_count,
                        "created_at": version.created_at,
                        "effective_at": version.effective_at,
                        "superseded_at": version.superseded_at,
                        "content_sha256": version.content_sha256 if version.is_signed else "",
                        "pdf": version.is_signed
                        and (
                            access.is_partner or agreement_selectors.coordinator_may_read(version)
                        ),
                    }
                    for version in versions
                ],
            }
        )
    return out


@api.get(
    "/partnerships/{partnership_id}/agreements/{agreement}/versions/{number}/pdf",
    # Its 200 is a PDF, described below (not a schema ninja could validate).
    response=dict(REFUSALS),
    tags=["agreements"],
    summary="A signed version's sealed PDF",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The sealed PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def signed_pdf(
    request: HttpRequest,
    partnership_id: UUID,
    agreement: Annotated[int, Path(ge=1, le=10**6)],
    number: Annotated[int, Path(ge=1, le=10**6)],
) -> HttpResponse:
    """The partners; a coordinator only where the template returns signed agreements to the
    program (403 otherwise, as on the page). Drafts have no signed PDF (404)."""
    _access, version = agreement_selectors.get_version_for_reader(
        _user(request), partnership_id, agreement, number
    )
    if not version.is_signed:
        raise Http404
    data = agreement_services.version_pdf(version=version)
    agreement_services.record_pdf_download(version=version, user=_user(request), via="api")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(version)}"'
    return response


@api.get(
    "/partnerships/{partnership_id}/meetings",
    response=answers(list[schemas.MeetingOut]),
    tags=["meetings"],
    summary="Its meetings' dates and statuses (the partners)",
)
def meetings(request: HttpRequest, partnership_id: UUID) -> list[dict]:
    """The partners only, as on the meetings page (a coordinator 403: the partnership gives
    them its counts and dates of contact)."""
    access = partnership_selectors.get_partnership_for_partner(_user(request), partnership_id)
    return [
        {
            "id": meeting.public_id,
            "status": meeting.status,
            "starts_at": meeting.starts_at,
            "time_zone": meeting.time_zone,
            "duration_minutes": meeting.duration_minutes,
            "mode": meeting.mode,
            "cancelled_at": meeting.cancelled_at,
        }
        for meeting in meeting_selectors.partnership_meetings(access.partnership)
    ]


# --- Events ---------------------------------------------------------------------------------


def _event(event) -> dict:
    return {
        "id": event.public_id,
        "program": event.program.public_id,
        "title": event.title,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone,
        "capacity": event.capacity,
        "required": event.required,
        "invited_roles": list(event.invited_roles or []),
        "attendance_recorded_at": event.attendance_recorded_at,
    }


@api.get("/programs/{program_id}/events", response=answers(schemas.EventPage), tags=["events"])
def program_events(request: HttpRequest, program_id: UUID, paging: Query[Paging]) -> dict:
    the_program = program_selectors.get_program_for_coordinator(_user(request), program_id)
    rows = event_selectors.program_events(the_program).select_related("program")
    return page(rows, paging, _event)


@api.get("/events/{event_id}", response=answers(schemas.EventOut), tags=["events"])
def event(request: HttpRequest, event_id: UUID) -> dict:
    """Its invitees and the program's coordinators."""
    the_event, _invitation, _coordinator = event_selectors.get_event_for_viewer(
        _user(request), event_id
    )
    return _event(the_event)


@api.get(
    "/events/{event_id}/attendance",
    response=answers(list[schemas.AttendanceOut]),
    tags=["events"],
    summary="Who was invited, answered and came (the coordinators)",
)
def attendance(request: HttpRequest, event_id: UUID) -> list[dict]:
    the_event = event_selectors.get_event_for_coordinator(_user(request), event_id)
    return [
        {
            "person": invitation.user.public_id,
            "full_name": invitation.user.full_name,
            "role": invitation.role,
            "answer": invitation.answer or None,
            "attended": invitation.attended,
        }
        for invitation in event_selectors.invitations(the_event)
    ]


# --- Evaluations ----------------------------------------------------------------------------


@api.get(
    "/programs/{program_id}/evaluations",
    response=answers(list[schemas.EvaluationOut]),
    tags=["evaluations"],
    summary="The program's evaluations with their response rates (the coordinators)",
)
def program_evaluations(request: HttpRequest, program_id: UUID) -> list[dict]:
    the_program = program_selectors.get_program_for_coordinator(_user(request), program_id)
    return [
        {
            "id": row.evaluation.public_id,
            "title": row.evaluation.title,
            "named": row.evaluation.named,
            "status": row.evaluation.status,
            "created_at": row.evaluation.created_at,
            "closed_at": row.evaluation.closed_at,
            "asked": suppression.shown(row.asked),
            "answered": suppression.shown(row.answered),
            "rate": row.rate,
        }
        for row in evaluation_selectors.program_summary(the_program)
    ]


@api.get(
    "/evaluations/{evaluation_id}/summary",
    response=answers(schemas.EvaluationSummaryOut),
    tags=["evaluations"],
    summary="An evaluation's aggregates, suppressed below five respondents (the coordinators)",
)
def evaluation_summary(
    request: HttpRequest,
    evaluation_id: UUID,
    role: Annotated[str, Query(pattern="^(|mentor|mentee)$")] = "",
) -> dict:
    """The same figures as the evaluation's page: counts and a scale's mean, each over five
    respondents or more. Never an answer itself, nor who gave it, even for a named
    evaluation (its page shows those to the coordinators; the API does not)."""
    the_evaluation = evaluation_selectors.get_evaluation_for_coordinator(
        _user(request), evaluation_id
    )
    found = evaluation_selectors.evaluation_summary(the_evaluation, role=role)
    return {
        "id": the_evaluation.public_id,
        "title": the_evaluation.title,
        "role": found.role,
        "asked": suppression.shown(found.asked),
        "answered": suppression.shown(found.answered),
        "rate": found.rate,
        "questions": [
            {
                "key": q.question.key,
                "label": q.question.label,
                "kind": q.question.kind,
                "suppressed": not q.figure.shown,
                "respondents": q.figure.respondents if q.figure.shown else None,
                "mean": q.figure.mean if q.figure.shown else None,
                "counts": [{"answer": label, "count": n} for label, n in q.figure.counts]
                if q.figure.shown
                else [],
            }
            for q in found.questions
        ],
    }
