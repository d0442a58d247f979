from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.programs.selectors import get_program_for_coordinator
from mentorpact.webhooks import selectors, services
from mentorpact.webhooks.forms import EndpointForm
from mentorpact.webhooks.models import Event


@login_required
@require_http_methods(["GET", "POST"])
def program(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """The program's webhook endpoints, a form to add one, and the delivery log."""
    the_program = get_program_for_coordinator(request.user, program_id)
    form = EndpointForm(request.POST or None)
    secret = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _endpoint, secret = services.add_endpoint(
                    program=the_program, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                form = EndpointForm()
        status = 400 if form.errors else 200
    response = render(
        request,
        "webhooks/program.html",
        {
            "program": the_program,
            "form": form,
            "secret": secret,
            "endpoints": selectors.live_endpoints(the_program),
            "deliveries": selectors.delivery_log(the_program),
            "event_labels": dict(Event.choices),
        },
        status=status,
    )
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def remove(request: AuthenticatedHttpRequest, program_id: UUID, endpoint_id: UUID) -> HttpResponse:
    the_program, endpoint = selectors.get_endpoint_for_coordinator(
        request.user, program_id, endpoint_id
    )
    services.remove_endpoint(endpoint=endpoint, actor=request.user)
    messages.success(request, f"No more deliveries go to {endpoint.url}.")
    return redirect("webhooks:program", program_id=the_program.public_id)
