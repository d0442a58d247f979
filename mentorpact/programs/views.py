from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.partnerships.models import Partnership
from mentorpact.programs import selectors

# The filter's extra choice: an overdue agreement or overdue contact (not a status).
NEEDS_ATTENTION = "attention"


@login_required
@require_GET
def program_overview(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = selectors.get_program_for_coordinator(request.user, program_id)
    status = request.GET.get("status", "")
    if status == NEEDS_ATTENTION:
        rows = selectors.program_partnerships(program).filter(
            pk__in=selectors.needing_attention(program)
        )
    else:
        if status not in Partnership.Status.values:
            status = ""
        rows = selectors.program_partnerships(program, status=status or None)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    health = selectors.program_health(program, list(page.object_list))
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
            # Each shown partnership with its health.
            "rows": [(p, health.by_partnership.get(p.pk)) for p in page.object_list],
            "status": status,
            "statuses": [(v, label, counts[v]) for v, label in Partnership.Status.choices],
            "total": sum(counts.values()),
            "health": health,
            "attention": NEEDS_ATTENTION,
        },
    )
    # One URL answers with the page or its fragment: caches must key on the htmx headers.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
