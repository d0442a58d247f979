from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from mentorpact.partnerships.models import Partnership
from mentorpact.programs import selectors


@login_required
@require_GET
def program_overview(request, program_id):
    program = selectors.get_program_for_coordinator(request.user, program_id)
    status = request.GET.get("status", "")
    if status not in Partnership.Status.values:
        status = ""
    paginator = Paginator(
        selectors.program_partnerships(program, status=status or None), settings.PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    counts = selectors.status_counts(program)
    template = "programs/overview.html"
    if request.htmx and request.htmx.target == "partnership-list":
        template += "#partnership-list"
    response = render(
        request,
        template,
        {
            "program": program,
            "page": page,
            "status": status,
            "statuses": [(v, label, counts[v]) for v, label in Partnership.Status.choices],
            "total": sum(counts.values()),
        },
    )
    # One URL answers with the page or its fragment: caches must key on the htmx headers.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
