from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST

from mentorpact.pairing import selectors, services
from mentorpact.pairing.forms import PairForm
from mentorpact.programs.models import Enrolment
from mentorpact.programs.selectors import get_program_for_coordinator


def _page_url(program, **query) -> str:
    url = reverse("pairing:page", args=[program.public_id])
    query = {k: v for k, v in query.items() if v}
    return f"{url}?{urlencode(query)}" if query else url


@login_required
@require_http_methods(["GET", "POST"])
def pairing_page(request, program_id):
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
                    due = partnership.agreement_due_on
                    messages.success(
                        request,
                        f"Paired {mentor.full_name} with {mentee.full_name}. Both have been "
                        f"emailed; their agreement is due {due.day} {due:%B %Y}.",
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
def unpair(request, code):
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
