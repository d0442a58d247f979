"""Meetings, the activity log, feedback and calendar feeds: the partners' own pages.

Each view starts with a partner-only selector (a coordinator gets 403, an outsider 404), except
the calendar feed, which calendar programs read without signing in: its token is the secret.
Forms post to real URLs and work without JavaScript; with htmx, a form swaps itself (errors
beside their fields) and success sends the browser on with HX-Redirect.
"""

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from mentorpact.lib.bounds import safe_localtime
from mentorpact.lib.http import AuthenticatedHttpRequest, HtmxHttpRequest
from mentorpact.meetings import ical, selectors, services
from mentorpact.meetings.forms import (
    CancelForm,
    EditNoteForm,
    FeedbackForm,
    HeldForm,
    MeetingForm,
    NoteForm,
    PastMeetingForm,
    RescheduleForm,
    place_errors,
)
from mentorpact.meetings.models import CalendarFeed, Meeting
from mentorpact.meetings.selectors import MeetingTerms
from mentorpact.meetings.services import MeetingError
from mentorpact.meetings.signals import feed_entries
from mentorpact.partnerships.selectors import (
    PartnershipAccess,
    closed_message,
    get_partnership_for_partner,
)

GET_POST = require_http_methods(["GET", "POST"])

# What a valid form's cleaned data does: the response, or a MeetingError.
Act = Callable[[dict[str, Any]], HttpResponse]


def _go(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """After a successful change: a redirect, or HX-Redirect for an htmx request."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _form_page(
    request: HtmxHttpRequest, template: str, context: dict, *, fragment: str = "form"
) -> HttpResponse:
    """The page, or for htmx just the form (which swaps itself with its errors shown)."""
    if request.htmx:
        template += "#" + fragment
    return render(request, template, context)


def _attempt(request: HttpRequest, form: forms.Form, act: Act) -> HttpResponse | None:
    """For a valid POSTed form, the response of `act(cleaned_data)`; a refusal goes beside
    its field (or above the form) and None is returned, so the form is shown again."""
    if request.method == "POST" and form.is_valid():
        try:
            return act(form.cleaned_data)
        except MeetingError as error:
            place_errors(form, error)
    return None


def _detail_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.partnership.public_id, meeting.public_id])


def _local(meeting: Meeting) -> datetime:
    return safe_localtime(meeting.starts_at, ZoneInfo(meeting.time_zone))


def _base(access: PartnershipAccess, **extra: object) -> dict:
    partnership = access.partnership
    return {
        "access": access,
        "partnership": partnership,
        "closed_message": closed_message(partnership),
        **extra,
    }


# --- The activity log -----------------------------------------------------------------------


def _log_context(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, note_form: NoteForm | None = None
) -> dict:
    partnership = access.partnership
    terms = selectors.meeting_terms(partnership)
    return _base(
        access,
        meetings=list(selectors.partnership_meetings(partnership)),
        notes=selectors.activity_log(partnership, request.user),
        note_form=note_form or NoteForm(),
        note_action=reverse("meetings:add_note", args=[partnership.public_id]),
        organiser=terms.organiser().describe(partnership),
        keeps_activity_log=terms.keeps_activity_log,
        summary=selectors.meeting_summary(partnership),
    )


@login_required
@require_GET
def meeting_log(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = get_partnership_for_partner(request.user, code)
    template = "meetings/log.html"
    if request.htmx and request.htmx.target == "notes":
        template += "#notes"
    return render(request, template, _log_context(request, access))


# --- Scheduling and recording ---------------------------------------------------------------


def _next_meeting_initial(meeting: Meeting, terms: MeetingTerms) -> dict:
    """ "Agree the next one": the same time of day, place and way of meeting, one gap later
    (a week, four weeks or two, by the program's minimum contact), and never in the past."""
    local = _local(meeting)
    day = local.date() + terms.next_meeting_gap()
    today = timezone.localtime(timezone.now(), ZoneInfo(meeting.time_zone)).date()
    while day <= today:
        day += timedelta(days=7)
    modes = dict(terms.mode_choices())
    return {
        "date": day,
        "time": local.time().replace(second=0, microsecond=0),
        "time_zone": meeting.time_zone,
        "duration_minutes": meeting.duration_minutes,
        "mode": meeting.mode if meeting.mode in modes else None,
        "place": meeting.place,
    }


@login_required
@GET_POST
def schedule(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = get_partnership_for_partner(request.user, code)
    partnership = access.partnership
    terms = selectors.meeting_terms(partnership)
    # "Agree the next one" after recording a meeting: ?after=<that meeting's id>.
    after_id = _uuid_or_none(request.GET.get("after", ""))
    after = partnership.meetings.filter(public_id=after_id).first() if after_id else None
    initial = (
        _next_meeting_initial(after, terms)
        if after
        else {"time_zone": request.user.time_zone, "duration_minutes": 60}
    )
    form = MeetingForm(request.POST or None, modes=terms.mode_choices(), initial=initial)

    def act(data: dict[str, Any]) -> HttpResponse:
        meeting = services.schedule_meeting(
            partnership=partnership,
            user=request.user,
            starts_at=data["starts_at"],
            time_zone=data["time_zone"],
            duration_minutes=data["duration_minutes"],
            length_accepted=data.get("accept_length", False),
            mode=data["mode"],
            place=data["place"],
            agenda=data["agenda"],
        )
        messages.success(request, "Meeting scheduled. Add it to your calendar below.")
        return _go(request, _detail_url(meeting))

    if response := _attempt(request, form, act):
        return response
    return _form_page(
        request,
        "meetings/schedule.html",
        _base(
            access,
            form=form,
            after=after,
            organiser=terms.organiser().describe(partnership),
        ),
    )


def _uuid_or_none(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


@login_required
@GET_POST
def record_past(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = get_partnership_for_partner(request.user, code)
    partnership = access.partnership
    terms = selectors.meeting_terms(partnership)
    today = timezone.localtime(timezone.now(), ZoneInfo(request.user.time_zone)).date()
    initial = {"date": today, "time_zone": request.user.time_zone, "held_minutes": 60}
    form = PastMeetingForm(request.POST or None, modes=terms.mode_choices(), initial=initial)

    def act(data: dict[str, Any]) -> HttpResponse:
        meeting = services.record_past_meeting(
            partnership=partnership,
            user=request.user,
            starts_at=data["starts_at"],
            time_zone=data["time_zone"],
            held_minutes=data["held_minutes"],
            length_accepted=data.get("accept_length", False),
            mode=data["mode"],
            topics=data["topics"],
        )
        return _recorded(request, meeting)

    if response := _attempt(request, form, act):
        return response
    return _form_page(request, "meetings/record_past.html", _base(access, form=form))


def _recorded(request: HtmxHttpRequest, meeting: Meeting) -> HttpResponse:
    """The end of recording a held meeting: on to agreeing the next one."""
    messages.success(request, "Meeting recorded as held. Now agree the next one, or skip it.")
    url = reverse("meetings:schedule", args=[meeting.partnership.public_id])
    return _go(request, f"{url}?after={meeting.public_id}")


@login_required
@require_GET
def meeting_detail(request: AuthenticatedHttpRequest, code: UUID, meeting_id: UUID) -> HttpResponse:
    access, meeting = selectors.get_meeting_for_partner(request.user, code, meeting_id)
    template = "meetings/detail.html"
    if request.htmx and request.htmx.target == "notes":
        template += "#notes"
    return render(request, template, _detail_context(request, access, meeting))


def _detail_context(
    request: AuthenticatedHttpRequest,
    access: PartnershipAccess,
    meeting: Meeting,
    note_form: NoteForm | None = None,
) -> dict:
    partnership = access.partnership
    terms = selectors.meeting_terms(partnership)
    role = access.role
    own = selectors.own_feedback(meeting, request.user)
    return _base(
        access,
        meeting=meeting,
        history=list(selectors.meeting_history(meeting)),
        notes=selectors.meeting_notes(meeting, request.user),
        note_form=note_form or NoteForm(),
        note_action=reverse(
            "meetings:add_meeting_note", args=[partnership.public_id, meeting.public_id]
        ),
        feedback=selectors.visible_feedback(meeting, request.user),
        own_feedback=own,
        feedback_asked=meeting.is_held and role in terms.feedback_from(),
        contingency=terms.contingency() if meeting.is_scheduled else None,
        is_past=meeting.starts_at <= timezone.now(),
    )


def _meeting_form_view(
    request: AuthenticatedHttpRequest,
    code: UUID,
    meeting_id: UUID,
    *,
    form_class: Callable[..., forms.Form],
    template: str,
    act: Callable[[Meeting, dict[str, Any]], HttpResponse],
    modes: bool = False,
) -> HttpResponse:
    """The shared shape of record-held, reschedule and cancel: a versioned form about one
    scheduled meeting, refused with the reason when the meeting or partnership moved on."""
    access, meeting = selectors.get_meeting_for_partner(request.user, code, meeting_id)
    terms = selectors.meeting_terms(access.partnership)
    local = _local(meeting)
    initial = {
        "version": meeting.version,
        "date": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "time_zone": meeting.time_zone,
        "duration_minutes": meeting.duration_minutes,
        "held_minutes": meeting.duration_minutes,
        "mode": meeting.mode,
        "place": meeting.place,
    }
    kwargs = {"modes": terms.mode_choices()} if modes else {}
    form = form_class(request.POST or None, initial=initial, **kwargs)
    refusal = ""
    if not meeting.is_scheduled:
        refusal = (
            "This meeting was cancelled."
            if meeting.is_cancelled
            else "This meeting is already recorded as held."
        )
    if response := _attempt(request, form, lambda data: act(meeting, data)):
        return response
    return _form_page(
        request,
        template,
        _base(
            access,
            meeting=meeting,
            form=form,
            refusal=refusal,
            contingency=terms.contingency(),
        ),
    )


@login_required
@GET_POST
def record_held(request: AuthenticatedHttpRequest, code: UUID, meeting_id: UUID) -> HttpResponse:
    def act(meeting: Meeting, data: dict[str, Any]) -> HttpResponse:
        services.record_held_meeting(
            meeting=meeting,
            user=request.user,
            based_on_version=data["version"],
            starts_at=data["starts_at"],
            time_zone=data["time_zone"],
            held_minutes=data["held_minutes"],
            length_accepted=data.get("accept_length", False),
            mode=data["mode"],
            topics=data["topics"],
        )
        return _recorded(request, meeting)

    return _meeting_form_view(
        request,
        code,
        meeting_id,
        form_class=HeldForm,
        template="meetings/held.html",
        act=act,
        modes=True,
    )


@login_required
@GET_POST
def reschedule(request: AuthenticatedHttpRequest, code: UUID, meeting_id: UUID) -> HttpResponse:
    def act(meeting: Meeting, data: dict[str, Any]) -> HttpResponse:
        services.reschedule_meeting(
            meeting=meeting,
            user=request.user,
            based_on_version=data["version"],
            starts_at=data["starts_at"],
            time_zone=data["time_zone"],
            duration_minutes=data["duration_minutes"],
            length_accepted=data.get("accept_length", False),
            place=data["place"],
            reason=data["reason"],
        )
        messages.success(request, "Meeting moved. Your partner has been told.")
        return _go(request, _detail_url(meeting))

    return _meeting_form_view(
        request,
        code,
        meeting_id,
        form_class=RescheduleForm,
        template="meetings/reschedule.html",
        act=act,
    )


@login_required
@GET_POST
def cancel(request: AuthenticatedHttpRequest, code: UUID, meeting_id: UUID) -> HttpResponse:
    def act(meeting: Meeting, data: dict[str, Any]) -> HttpResponse:
        services.cancel_meeting(
            meeting=meeting,
            user=request.user,
            based_on_version=data["version"],
            reason=data["reason"],
        )
        messages.success(request, "Meeting cancelled. Your partner has been told.")
        return _go(request, _detail_url(meeting))

    return _meeting_form_view(
        request, code, meeting_id, form_class=CancelForm, template="meetings/cancel.html", act=act
    )


def _ics_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def meeting_ics(request: AuthenticatedHttpRequest, code: UUID, meeting_id: UUID) -> HttpResponse:
    _access, meeting = selectors.get_meeting_for_partner(request.user, code, meeting_id)
    return _ics_response(ical.meeting_ics(meeting), ical.ics_filename(meeting))


# --- Notes ----------------------------------------------------------------------------------


@login_required
@require_POST
def add_note(
    request: AuthenticatedHttpRequest, code: UUID, meeting_id: UUID | None = None
) -> HttpResponse:
    if meeting_id is None:
        access = get_partnership_for_partner(request.user, code)
        meeting = None
    else:
        access, meeting = selectors.get_meeting_for_partner(request.user, code, meeting_id)
    form = NoteForm(request.POST)
    shown: NoteForm | None = form  # shown again with its errors; None: a fresh, empty one
    if form.is_valid():
        try:
            services.add_note(
                partnership=access.partnership,
                user=request.user,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                meeting=meeting,
            )
        except MeetingError as error:
            place_errors(form, error)
        else:
            shown = None
            if not request.htmx:
                messages.success(request, "Note added.")
                page = (
                    _detail_url(meeting)
                    if meeting
                    else reverse("meetings:log", args=[access.partnership.public_id])
                )
                return redirect(page + "#notes")
    if meeting is None:
        template, context = "meetings/log.html", _log_context(request, access, shown)
    else:
        template, context = "meetings/detail.html", _detail_context(request, access, meeting, shown)
    if request.htmx:
        template += "#notes"
        if shown is None:
            # Said where the person is looking (static/js/forms.js moves focus to it and
            # announces it): a swap shows no Django message.
            context["notice"] = "Note added."
    return render(request, template, context)


@login_required
@GET_POST
def edit_note(request: AuthenticatedHttpRequest, code: UUID, note_id: UUID) -> HttpResponse:
    access, note = selectors.get_note_for_partner(request.user, code, note_id)
    if note.author_id != request.user.pk:
        raise PermissionDenied("Only its author can change a note.")
    initial = {"body": note.body, "visibility": note.visibility, "version": note.version}
    form = EditNoteForm(request.POST or None, initial=initial)

    def act(data: dict[str, Any]) -> HttpResponse:
        services.edit_note(
            note=note,
            user=request.user,
            body=data["body"],
            visibility=data["visibility"],
            based_on_version=data["version"],
        )
        messages.success(request, "Note saved.")
        page = (
            _detail_url(note.meeting)
            if note.meeting
            else reverse("meetings:log", args=[access.partnership.public_id])
        )
        return _go(request, page + "#notes")

    if response := _attempt(request, form, act):
        return response
    return _form_page(request, "meetings/edit_note.html", _base(access, note=note, form=form))


# --- Feedback -------------------------------------------------------------------------------


@login_required
@GET_POST
def feedback(request: AuthenticatedHttpRequest, code: UUID, meeting_id: UUID) -> HttpResponse:
    access, meeting = selectors.get_meeting_for_partner(request.user, code, meeting_id)
    terms = selectors.meeting_terms(access.partnership)
    own = selectors.own_feedback(meeting, request.user)
    questions = terms.feedback_questions()
    initial: dict[str, Any] = {"shared_with_partner": False}
    if own is not None:
        questions = tuple(item["question"] for item in own.answers) or questions
        initial = {f"answer_{i}": item["answer"] for i, item in enumerate(own.answers)}
        initial |= {"shared_with_partner": own.shared_with_partner, "version": own.version}
    form = FeedbackForm(request.POST or None, questions=questions, initial=initial)
    refusal = _feedback_refusal(meeting, access.role, terms)

    def act(data: dict[str, Any]) -> HttpResponse:
        services.submit_feedback(
            meeting=meeting,
            user=request.user,
            answers=form.answers(),
            shared_with_partner=data["shared_with_partner"],
            based_on_version=data.get("version"),
        )
        messages.success(request, "Thank you: your feedback is saved.")
        return _go(request, _detail_url(meeting) + "#feedback")

    if response := _attempt(request, form, act):
        return response
    return _form_page(
        request,
        "meetings/feedback.html",
        _base(access, meeting=meeting, form=form, own=own, refusal=refusal),
    )


def _feedback_refusal(meeting: Meeting, role: str | None, terms: MeetingTerms) -> str:
    if meeting.is_cancelled:
        return "This meeting was cancelled: there is no session to give feedback on."
    if not meeting.is_held:
        return "Feedback opens once the meeting is recorded as held."
    if not terms.feedback_from():
        return services.NO_FEEDBACK
    if role not in terms.feedback_from():
        asked = " and the ".join(terms.feedback_from())
        return f"Your program asks the {asked} for feedback after each session."
    return ""


# --- Calendar feeds -------------------------------------------------------------------------


def _calendar_page(request: AuthenticatedHttpRequest, feed_url: str = "") -> HttpResponse:
    template = "meetings/calendar.html"
    if request.htmx:
        template += "#feed"
    return render(
        request,
        template,
        {"feed": selectors.active_feed(request.user), "feed_url": feed_url},
    )


@login_required
@require_GET
def calendar_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _calendar_page(request)


@login_required
@require_POST
def create_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    token = services.create_calendar_feed(user=request.user)
    # Shown in this response only: the database keeps the token's hash, not the token.
    url = request.build_absolute_uri(reverse("meetings:feed", args=[token]))
    return _calendar_page(request, feed_url=url)


@login_required
@require_POST
def revoke_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    if services.revoke_calendar_feed(user=request.user):
        messages.success(request, "Your calendar feed is turned off: its address no longer works.")
    if request.htmx:
        return _calendar_page(request)
    return redirect("meetings:calendar")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's meetings (and program events: meetings.signals) for their calendar
    program. No sign-in: the token is the secret, and a revoked or made-up one is not found."""
    found = (
        CalendarFeed.objects.select_related("user")
        .filter(token_sha256=services.feed_token_sha256(token), revoked_at__isnull=True)
        .first()
    )
    if found is None:
        raise Http404
    others: list[Any] = [
        entry
        for _receiver, entries in feed_entries.send(sender=None, user=found.user)
        for entry in entries or []
    ]
    data = ical.feed_ics(found.user, selectors.feed_meetings(found), others)
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
