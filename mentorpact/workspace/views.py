"""The pages that combine apps: "My partnerships", the partnership page and the program
overview. Each starts with the owning app's access selector, then reads the other apps through
their selectors; none of them writes."""

from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from mentorpact.agreement_templates import selectors as template_selectors
from mentorpact.agreements import selectors as agreement_selectors
from mentorpact.events import selectors as event_selectors
from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.matching import selectors as matching_selectors
from mentorpact.meetings import selectors as meeting_selectors
from mentorpact.partnerships import selectors as partnerships
from mentorpact.partnerships.models import Partnership
from mentorpact.programs import selectors as programs
from mentorpact.progress import selectors as progress_selectors
from mentorpact.workspace import selectors

# The filter's extra choice: an overdue agreement or overdue contact (not a status).
NEEDS_ATTENTION = "attention"


class OverviewPaginator(Paginator):
    """The overview's paginator. It is told its count by the caller, who read it with other
    totals already (the status counts), instead of a COUNT query of its own (None: it
    counts). And a page's rows are read by a deferred join: the page's ids first, as a
    subquery whose OFFSET walks the (program, -created_at, -id) index alone
    (partnerships' `partnership_overview_all`), then those rows with their people. A plain
    OFFSET joined every skipped row to its mentor and mentee: the last page of 10,000 cost
    half as much again as the first (issue 18)."""

    def __init__(self, object_list, per_page, *, count: int | None) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        if self._known_count is not None:
            return self._known_count
        return super().count

    def _get_page(self, object_list, *args, **kwargs):
        if isinstance(object_list, QuerySet) and isinstance(self.object_list, QuerySet):
            object_list = self.object_list.filter(pk__in=object_list.values("pk"))
        return super()._get_page(object_list, *args, **kwargs)


@login_required
@require_GET
def my_partnerships(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    # Each partnership with the viewer's role in it and the partner on the other side.
    rows = [
        (p, p.role_of(user), p.partner_of(user)) for p in partnerships.partnerships_for_user(user)
    ]
    return render(
        request,
        "partnerships/my_partnerships.html",
        {
            "partnerships": rows,
            "programs": programs.programs_coordinated_by(request.user),
            "matching_profiles": matching_selectors.profiles_to_fill(user),
        },
    )


@login_required
@require_GET
def partnership_detail(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = partnerships.get_partnership_for_user(request.user, code)
    partnership = access.partnership
    # Plan, midpoint, closing and what is due next; the timeline merges every app's entries.
    progress = progress_selectors.partnership_progress(
        partnership, role=access.role, viewer=request.user
    )
    return render(
        request,
        "partnerships/detail.html",
        {
            "access": access,
            "partnership": partnership,
            "progress": progress,
            "due": progress.due(),
            # Each app's section of the page, read here rather than in a template tag.
            # progress read the latest agreement, the version in effect and the meetings
            # already: the sections reuse them rather than read them again.
            "agreement_summary": agreement_selectors.agreement_summary(
                partnership,
                viewer_role=access.role,
                latest=progress.latest,
                in_effect=progress.standing.version if progress.standing else None,
            ),
            "meeting_summary": meeting_selectors.meeting_summary(
                partnership, meetings=progress.meeting_rows
            ),
            # The partner's own next program events (invitations: theirs only).
            "program_events": list(
                event_selectors.upcoming_for(request.user, partnership.program_id)
            )
            if access.is_partner
            else [],
            # The exceptions to confidentiality the rules in force declare (their page is the
            # pair's), from the rules progress has read already.
            "confidentiality_exceptions": (progress.rules.confidentiality_exceptions or ())
            if access.is_partner
            else (),
            "timeline": progress_selectors.timeline_entries(
                partnership, role=access.role, meetings=progress.meetings
            ),
        },
    )


@login_required
@require_GET
def program_overview(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = programs.get_program_for_coordinator(request.user, program_id)
    status = request.GET.get("status", "")
    # The status counts come with the program's other totals (program_figures, one query),
    # so the paginator is told its count instead of asking for it: only the "needs
    # attention" filter, which no status count answers, counts its rows.
    count: int | None = None
    if status == NEEDS_ATTENTION:
        rows = partnerships.program_partnerships(program).filter(
            pk__in=selectors.needing_attention(program)
        )
    else:
        if status not in Partnership.Status.values:
            status = ""
        rows = partnerships.program_partnerships(program, status=status or None)
    figures = selectors.program_figures(program)
    counts = figures.status_counts
    if status != NEEDS_ATTENTION:
        count = counts[status] if status else sum(counts.values())
    paginator = OverviewPaginator(rows, settings.PAGE_SIZE, count=count)
    page = paginator.get_page(request.GET.get("page"))
    health = selectors.program_health(program, list(page.object_list), figures=figures)
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
            "query": urlencode({"status": status}) if status else "",
            "statuses": [(v, label, counts[v]) for v, label in Partnership.Status.choices],
            "total": sum(counts.values()),
            "health": health,
            "attention": NEEDS_ATTENTION,
            "has_template": template_selectors.chosen_template(program) is not None,
            "open_help_requests": figures.open_help_requests,
        },
    )
    # One URL answers with the page or its fragment: caches must key on the htmx headers.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
