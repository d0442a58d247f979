"""Asking the program for help: the partner's page, the request's page (requester and
coordinators) and the coordinators' queue. Each view starts with a permission-scoped
selector; forms post to real URLs and show their errors beside their fields."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.partnerships.selectors import closed_message, get_partnership_for_partner
from mentorpact.programs.selectors import get_program_for_coordinator
from mentorpact.support import selectors, services
from mentorpact.support.forms import AskForm, CloseForm, MessageForm, place_errors
from mentorpact.support.models import HelpRequest
from mentorpact.support.services import SupportError

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 50


@login_required
@GET_POST
def ask(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = get_partnership_for_partner(request.user, code)
    partnership = access.partnership
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            raised = services.raise_request(
                partnership=partnership,
                user=request.user,
                kind=form.cleaned_data["kind"],
                message=form.cleaned_data["message"],
                partner_may_know=form.cleaned_data["partner_may_know"],
            )
        except SupportError as error:
            place_errors(form, error)
        else:
            messages.success(request, "Sent to the program's coordinators.")
            return redirect("support:request", raised.public_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "support/ask.html",
        {
            "access": access,
            "partnership": partnership,
            "form": form,
            "closed": closed_message(partnership),
            "requests": selectors.requests_of(partnership, request.user),
        },
        status=status,
    )


def _request_context(reader, help_request: HelpRequest, part: str, **forms) -> dict:
    return {
        "help_request": help_request,
        "partnership": help_request.partnership,
        "part": part,
        "thread": help_request.messages.select_related("author"),
        "message_form": forms.get("message_form") or MessageForm(),
        "close_form": forms.get("close_form") or CloseForm(),
    }


@login_required
@GET_POST
def request_page(request: AuthenticatedHttpRequest, request_id: UUID) -> HttpResponse:
    help_request, part = selectors.get_request_for_reader(request.user, request_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_message(
                request=help_request, user=request.user, body=form.cleaned_data["body"]
            )
        except SupportError as error:
            place_errors(form, error)
        else:
            sent = "Reply sent: the requester is emailed." if part == "coordinator" else "Sent."
            messages.success(request, sent)
            return redirect(reverse("support:request", args=[request_id]) + "#thread")
    status = 400 if request.method == "POST" else 200
    context = _request_context(request.user, help_request, part, message_form=form)
    return render(request, "support/request.html", context, status=status)


@login_required
@require_POST
def close(request: AuthenticatedHttpRequest, request_id: UUID) -> HttpResponse:
    help_request = selectors.get_request_for_coordinator(request.user, request_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_request(
                request=help_request, user=request.user, outcome=form.cleaned_data["outcome"]
            )
        except SupportError as error:
            place_errors(form, error)
        else:
            messages.success(request, "Request closed: the requester is emailed.")
            return redirect("support:request", request_id)
    context = _request_context(request.user, help_request, "coordinator", close_form=form)
    return render(request, "support/request.html", context, status=400)


@login_required
@require_GET
def queue(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = get_program_for_coordinator(request.user, program_id)
    status = request.GET.get("status", "")
    if status not in HelpRequest.Status.values:
        status = ""
    rows = selectors.program_queue(program, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "support/queue.html",
        {
            "program": program,
            "page": page,
            "status": status,
            "query": f"status={status}" if status else "",
            "statuses": HelpRequest.Status.choices,
        },
    )
