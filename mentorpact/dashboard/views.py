"""The program dashboard: figures, the pairs behind a bar, exports, the term report and the
ZIP of signed agreements. Every view starts with the program's coordinator check."""

from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from mentorpact.dashboard import charts, exports, selectors, services
from mentorpact.dashboard.forms import FilterForm
from mentorpact.dashboard.models import AgreementsZip
from mentorpact.lib import sheets, suppression
from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.programs.models import Program


def _filters(
    request: AuthenticatedHttpRequest, program: Program
) -> tuple[FilterForm, selectors.Filters]:
    form = FilterForm(request.GET or None, program=program)
    return form, (form.filters() if request.GET else selectors.Filters())


def _charts(program: Program, found: selectors.Dashboard) -> list[charts.Chart]:
    url = reverse("dashboard:pairs", args=[program.public_id])
    query = found.filters.query()
    return [charts.draw(figure, pairs_url=url, query=query) for figure in found.figures]


def _context(program: Program, found: selectors.Dashboard) -> dict:
    return {
        "program": program,
        "dashboard": found,
        "charts": _charts(program, found),
        "query": urlencode(found.filters.query()),
        "smallest": selectors.SMALLEST,
    }


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = selectors.get_program_for_dashboard(request.user, program_id)
    form, filters = _filters(request, program)
    found = selectors.dashboard(program, filters)
    template = "dashboard/dashboard.html"
    if request.htmx and request.htmx.target == "figures":
        template += "#figures"
    response = render(
        request,
        template,
        _context(program, found)
        | {
            "form": form,
            "exports": exports.KINDS,
            "latest_zip": selectors.latest_zip(program),
            "here": "dashboard",
        },
    )
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_GET
def pairs(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """The pairs behind one bar of a figure (the same condition its count is), filtered as
    the dashboard was. A bar counting fewer than SMALLEST pairs is not listed either."""
    program = selectors.get_program_for_dashboard(request.user, program_id)
    form, filters = _filters(request, program)
    # Without a bar: every pair (the first bar of the first figure).
    figure, bar = request.GET.get("figure", "stage"), request.GET.get("bar", "paired")
    behind = selectors.pairs_behind(program, filters, figure, bar)
    if behind is None:
        raise Http404
    label, rows = behind
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    count = page.paginator.count
    query = {**filters.query(), "figure": figure, "bar": bar}
    return render(
        request,
        "dashboard/pairs.html",
        {
            "program": program,
            "label": label,
            "page": page if not suppression.too_few(count) else None,
            "suppressed": suppression.too_few(count),
            "filters": filters,
            "dashboard_query": urlencode(filters.query()),
            "query": urlencode(query),
            "here": "dashboard",
        },
    )


@login_required
@require_GET
def export(
    request: AuthenticatedHttpRequest, program_id: UUID, kind: str, fmt: str
) -> HttpResponse:
    program = selectors.get_program_for_dashboard(request.user, program_id)
    if kind not in exports.KINDS or fmt not in sheets.FORMATS:
        raise Http404
    _form, filters = _filters(request, program)
    found = exports.export(program, kind, filters)
    data = sheets.render(fmt, found.header, found.rows, title=found.title)
    services.exported(
        program=program, actor=request.user, kind=kind, fmt=fmt, filters=filters.query()
    )
    response = HttpResponse(data, content_type=sheets.FORMATS[fmt])
    day = timezone.now().date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{kind}-{day}.{fmt}"'
    return response


def _report_context(request: AuthenticatedHttpRequest, program: Program) -> dict:
    _form, filters = _filters(request, program)
    found = selectors.dashboard(program, filters)
    return _context(program, found) | {"generated_on": timezone.now().date()}


@login_required
@require_GET
def report(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """The term report as a page (print it, or download its PDF)."""
    program = selectors.get_program_for_dashboard(request.user, program_id)
    return render(request, "dashboard/report.html", _report_context(request, program))


@login_required
@require_GET
def report_pdf(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """The term report on one page, by WeasyPrint, as the agreements are; it may fetch
    nothing (no file, no network)."""
    program = selectors.get_program_for_dashboard(request.user, program_id)
    html = render_to_string("dashboard/report_pdf.html", _report_context(request, program))
    data = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    response = HttpResponse(data, content_type="application/pdf")
    day = timezone.now().date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="term-report-{day}.pdf"'
    return response


@login_required
@require_POST
def zip_request(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = selectors.get_program_for_dashboard(request.user, program_id)
    found = services.request_agreements_zip(program=program, actor=request.user)
    return redirect("dashboard:zip_status", program.public_id, found.public_id)


@login_required
@require_GET
def zip_status(request: AuthenticatedHttpRequest, program_id: UUID, zip_id: UUID) -> HttpResponse:
    """How the ZIP is going: htmx asks again every second while it is built; without
    JavaScript the page has a link to look again."""
    found = selectors.get_zip_for_coordinator(request.user, program_id, zip_id)
    template = "dashboard/zip_status.html"
    if request.htmx and request.htmx.target == "zip-status":
        template += "#zip-status"
    response = render(
        request,
        template,
        {
            "program": found.program,
            "zip": found,
            "status": AgreementsZip.Status,
            "here": "dashboard",
        },
    )
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_GET
def zip_download(request: AuthenticatedHttpRequest, program_id: UUID, zip_id: UUID) -> HttpResponse:
    found = selectors.get_zip_for_coordinator(request.user, program_id, zip_id)
    if found.status != AgreementsZip.Status.DONE or not found.file_name:
        raise Http404
    data = services.zip_downloaded(found=found, actor=request.user)
    response = HttpResponse(data, content_type="application/zip")
    day = found.created_at.date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="signed-agreements-{day}.zip"'
    return response
