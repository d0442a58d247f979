import hashlib
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST

from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.pairing import imports, selectors, services
from mentorpact.pairing.forms import PairForm, PairingUploadForm
from mentorpact.programs.models import Enrolment, Program
from mentorpact.programs.selectors import get_program_for_coordinator


def _page_url(program: Program, **query: str) -> str:
    url = reverse("pairing:page", args=[program.public_id])
    query = {k: v for k, v in query.items() if v}
    return f"{url}?{urlencode(query)}" if query else url


@login_required
@require_http_methods(["GET", "POST"])
def pairing_page(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """The coordinator pairs a mentor with a mentee: search both lists, choose one of each."""
    program = get_program_for_coordinator(request.user, program_id)
    if request.method == "POST":
        form = PairForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            mentor = selectors.enrolled_person(program, data["mentor"], Enrolment.Role.MENTOR)
            mentee = selectors.enrolled_person(program, data["mentee"], Enrolment.Role.MENTEE)
            if mentor is None:
                form.add_error("mentor", "Choose a mentor from the list.")
            if mentee is None:
                form.add_error("mentee", "Choose a mentee from the list.")
            if mentor is not None and mentee is not None:
                try:
                    partnership = services.pair(
                        program=program, mentor=mentor, mentee=mentee, actor=request.user
                    )
                except services.PairingError as error:
                    for field, problems in error.message_dict.items():
                        for problem in problems:
                            form.add_error(field if field in form.fields else None, problem)
                else:
                    due = partnership.agreement_due_on  # create_partnership always sets it
                    when = f"; their agreement is due {due.day} {due:%B %Y}" if due else ""
                    messages.success(
                        request,
                        f"Paired {mentor.full_name} with {mentee.full_name}. Both have been "
                        f"emailed{when}.",
                    )
                    return redirect(_page_url(program))
        mentor_q = mentee_q = ""
        status = 400
    else:
        form = PairForm()
        mentor_q, mentee_q = (
            request.GET.get("mentor_q", "")[:200],
            request.GET.get("mentee_q", "")[:200],
        )
        status = 200
    mentors = selectors.mentors(program, mentor_q)
    mentees = selectors.waiting_mentees(program, mentee_q)
    chosen_mentor, chosen_mentee = (
        str(form["mentor"].value() or ""),
        str(form["mentee"].value() or ""),
    )
    if request.method == "POST":
        # A refused pairing shows the two people chosen, checked, even beyond the first rows.
        mentors = selectors.pinned(mentors, program, chosen_mentor, Enrolment.Role.MENTOR)
        mentees = selectors.pinned(mentees, program, chosen_mentee, Enrolment.Role.MENTEE)
    template = "pairing/page.html"
    if request.htmx and request.htmx.target in ("mentor-list", "mentee-list"):
        template += "#" + request.htmx.target
    response = render(
        request,
        template,
        {
            "program": program,
            "form": form,
            "mentor_q": mentor_q,
            "mentee_q": mentee_q,
            "chosen_mentor": chosen_mentor,
            "chosen_mentee": chosen_mentee,
            "mentors": mentors,
            "mentees": mentees,
            "undoable": selectors.undoable_pairings(program),
        },
        status=status,
    )
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_POST
def unpair(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    partnership = selectors.get_pairing_for_coordinator(request.user, code)
    try:
        services.unpair(partnership=partnership, actor=request.user)
    except services.PairingError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Undid the pairing of {partnership.mentor.full_name} with "
            f"{partnership.mentee.full_name}; both have been told. "
            f"{partnership.mentee.full_name} is waiting for a mentor again.",
        )
    return redirect(_page_url(partnership.program))


# A previewed file waits in the coordinator's session (not a table) until they import it; the
# import form names its digest, so only the file they saw is imported.
def _session_key(program: Program) -> str:
    return f"pairing-csv:{program.public_id}"


def _csv_page(
    request: HttpRequest,
    program: Program,
    *,
    form: PairingUploadForm | None = None,
    preview: imports.Preview | None = None,
    digest: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "pairing/csv.html",
        {
            "program": program,
            "form": form or PairingUploadForm(),
            "preview": preview,
            "digest": digest,
            "outcomes": imports.Outcome,
            "columns": imports.COLUMNS,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pairing_csv(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """Upload a pairing CSV and see its preview; nothing is paired here."""
    program = get_program_for_coordinator(request.user, program_id)
    if request.method == "GET":
        return _csv_page(request, program)
    form = PairingUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _csv_page(request, program, form=form, status=400)
    upload = form.cleaned_data["file"]
    preview = imports.read_pairings(upload, program)
    if not preview.ok:
        request.session.pop(_session_key(program), None)
        return _csv_page(request, program, form=form, preview=preview, status=400)
    upload.seek(0)
    data = upload.read()
    digest = hashlib.sha256(data).hexdigest()
    request.session[_session_key(program)] = {
        "text": data.decode("utf-8-sig"),
        "digest": digest,
    }
    return _csv_page(request, program, form=form, preview=preview, digest=digest)


@login_required
@require_POST
def import_csv(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = get_program_for_coordinator(request.user, program_id)
    kept = request.session.get(_session_key(program)) or {}
    if not kept or kept.get("digest") != request.POST.get("digest"):
        messages.error(request, "That preview has expired or was imported already: upload again.")
        return redirect("pairing:csv", program_id=program.public_id)
    # Checked again: the program may have changed since the preview.
    preview = imports.read_pairings(kept["text"].encode(), program)
    if not preview.ok:
        messages.error(request, "The file no longer imports cleanly: see its problems below.")
        return _csv_page(request, program, preview=preview, status=400)
    try:
        made = services.import_pairings(
            program=program, pairings=preview.pairings, actor=request.user
        )
    except services.PairingError as error:
        messages.error(request, f"Nothing was imported. {' '.join(error.messages)}")
        return redirect("pairing:csv", program_id=program.public_id)
    del request.session[_session_key(program)]
    unchanged = preview.unchanged
    messages.success(
        request,
        f"Paired {len(made)} couple{'s' if len(made) != 1 else ''}; each person has been "
        f"emailed. {unchanged} row{'s were' if unchanged != 1 else ' was'} already paired.",
    )
    return redirect("pairing:page", program_id=program.public_id)
