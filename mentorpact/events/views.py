"""Program events: the coordinators' list and form, an event's page (the invitee answers;
the coordinators see the answers and record attendance, by checklist or a CSV of
attendees), its .ics, and a person's own events. Each view starts with a scoped selector."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorpact.accounts.models import User
from mentorpact.events import ical, selectors, services
from mentorpact.events.forms import AnswerForm, AttendeesCsvForm, EventForm, place_errors
from mentorpact.events.services import EventDetails, EventError
from mentorpact.lib import csvfile
from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.programs.selectors import get_program_for_coordinator

GET_POST = require_http_methods(["GET", "POST"])


@login_required
@GET_POST
def program_events(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = get_program_for_coordinator(request.user, program_id)
    form = EventForm(request.POST or None, initial={"time_zone": request.user.time_zone or "UTC"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.create_event(
                program=program,
                actor=request.user,
                details=EventDetails(
                    title=data["title"],
                    description=data["description"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    time_zone=data["time_zone"],
                    place=data["place"],
                    capacity=data["capacity"],
                    invited_roles=list(data["invited_roles"]),
                    required=data["required"],
                ),
            )
        except EventError as error:
            place_errors(form, error)
        else:
            messages.success(request, "Event created: the invitations are on their way.")
            return redirect("events:event", created.public_id)
    return render(
        request,
        "events/program.html",
        {
            "program": program,
            "form": form,
            "events": selectors.program_events(program),
            "missed": selectors.missed_required(program),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def my_events(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "events/mine.html", {"invitations": selectors.events_for(request.user)})


def _event_page(request, event, invitation, coordinator, *, form=None, status=200):
    return render(
        request,
        "events/event.html",
        {
            "event": event,
            "invitation": invitation,
            "coordinator": coordinator,
            "form": form
            or AnswerForm(
                initial={
                    "answer": invitation.answer if invitation else "",
                    "absence_reason": invitation.absence_reason if invitation else "",
                }
            ),
            "csv_form": AttendeesCsvForm(),
            # Attendance is recorded once the event has started (services.record_attendance).
            "started": event.starts_at <= timezone.now(),
            "invitations": selectors.invitations(event) if coordinator else [],
        },
        status=status,
    )


@login_required
@GET_POST
def event(request: AuthenticatedHttpRequest, event_id: UUID) -> HttpResponse:
    found, invitation, coordinator = selectors.get_event_for_viewer(request.user, event_id)
    if request.method == "GET":
        return _event_page(request, found, invitation, coordinator)
    if invitation is None:
        raise PermissionDenied("Only the invitees answer.")
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer(
                invitation=invitation,
                user=request.user,
                answer=form.cleaned_data["answer"],
                absence_reason=form.cleaned_data["absence_reason"],
            )
        except EventError as error:
            place_errors(form, error)
        else:
            messages.success(request, "Answer saved.")
            return redirect("events:event", found.public_id)
    return _event_page(request, found, invitation, coordinator, form=form, status=400)


@login_required
@require_GET
def ics(request: AuthenticatedHttpRequest, event_id: UUID) -> HttpResponse:
    found, _invitation, _coordinator = selectors.get_event_for_viewer(request.user, event_id)
    response = HttpResponse(ical.event_ics(found), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="event.ics"'
    return response


@login_required
@require_POST
def attendance(request: AuthenticatedHttpRequest, event_id: UUID) -> HttpResponse:
    found = selectors.get_event_for_coordinator(request.user, event_id)
    invited = {str(i.user.public_id): i.user_id for i in selectors.invitations(found)}
    present = {invited[key] for key in request.POST.getlist("attended") if key in invited}
    upload = request.FILES.get("file")
    problems: list[str] = []
    if upload:
        sheet = csvfile.read(upload, columns=["email"], optional=["name"])
        problems.extend(p.message for p in sheet.problems)
        by_email = {
            email.lower(): pk
            for email, pk in User.objects.filter(pk__in=invited.values()).values_list("email", "pk")
        }
        for row in sheet.rows if sheet.ok else []:
            email = row["email"].strip().lower()
            if email in by_email:
                present.add(by_email[email])
            elif email:
                problems.append(f"Line {row.line}: {email} was not invited to this event.")
        if not sheet.ok:
            for problem in problems:
                messages.error(request, problem)
            return redirect("events:event", found.public_id)
    try:
        count = services.record_attendance(
            event=found, actor=request.user, attended_user_ids=present
        )
    except EventError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Attendance recorded: {count} present.")
    for problem in problems:
        messages.warning(request, problem)
    return redirect("events:event", found.public_id)


@login_required
@require_GET
def attendees_csv(request: AuthenticatedHttpRequest, event_id: UUID) -> HttpResponse:
    found = selectors.get_event_for_coordinator(request.user, event_id)
    rows = [
        [
            i.user.full_name,
            i.user.email,
            i.role,
            i.get_answer_display() if i.answer else "",
            {True: "attended", False: "absent", None: ""}[i.attended],
        ]
        for i in selectors.invitations(found)
    ]
    data = csvfile.write(["name", "email", "role", "answer", "attendance"], rows)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="attendees.csv"'
    return response
