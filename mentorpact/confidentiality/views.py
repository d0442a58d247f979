"""The partnership's Confidentiality page (agreed disclosures and their uses, the mentor's
serious-danger disclosures), a serious-danger record's page (the mentor and the safeguarding
contact) and the program's choice of safeguarding contact. Each view starts with a
permission-scoped selector; a refused form is shown again with its errors beside the fields."""

import datetime
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from mentorpact.accounts.models import User
from mentorpact.confidentiality import selectors, services
from mentorpact.confidentiality.forms import (
    ContactForm,
    DangerForm,
    ProposeForm,
    ToldForm,
    UseForm,
    place_errors,
)
from mentorpact.confidentiality.services import ConfidentialityError
from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.partnerships.selectors import (
    PartnershipAccess,
    closed_message,
    get_partnership_for_partner,
)
from mentorpact.programs.selectors import get_program_for_coordinator

GET_POST = require_http_methods(["GET", "POST"])


def _declared(access: PartnershipAccess) -> tuple[str, ...]:
    exceptions = selectors.exceptions_of(access.partnership)
    if not exceptions:
        raise Http404("This program's agreement declares no exceptions to confidentiality.")
    return exceptions


def _page(request, access: PartnershipAccess, *, status: int = 200, **forms) -> HttpResponse:
    partnership = access.partnership
    exceptions = selectors.exceptions_of(partnership)
    return render(
        request,
        "confidentiality/page.html",
        {
            "access": access,
            "partnership": partnership,
            "agreed_declared": selectors.AGREED in exceptions,
            "danger_declared": selectors.DANGER in exceptions,
            "closed": closed_message(partnership),
            "disclosures": selectors.agreed_disclosures(partnership),
            "dangers": selectors.danger_disclosures_by(partnership, request.user),
            "propose_form": forms.get("propose_form") or ProposeForm(),
            "use_form": forms.get("use_form") or UseForm(),
            "use_for": forms.get("use_for"),
        },
        status=status,
    )


def _back(access: PartnershipAccess) -> HttpResponse:
    return redirect("confidentiality:page", access.partnership.public_id)


@login_required
@require_http_methods(["GET"])
def page(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = get_partnership_for_partner(request.user, code)
    _declared(access)
    return _page(request, access)


@login_required
@require_POST
def propose(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = get_partnership_for_partner(request.user, code)
    _declared(access)
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            services.propose_agreed_disclosure(
                partnership=access.partnership, user=request.user, **form.cleaned_data
            )
        except ConfidentialityError as error:
            place_errors(form, error)
        else:
            messages.success(request, "Proposed: your partner is asked to agree on this page.")
            return _back(access)
    return _page(request, access, status=400, propose_form=form)


def _act(request, code: UUID, disclosure_id: UUID, act, done: str) -> HttpResponse:
    access = get_partnership_for_partner(request.user, code)
    disclosure = selectors.get_agreed_disclosure(access.partnership, disclosure_id)
    try:
        act(disclosure=disclosure, user=request.user)
    except ConfidentialityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back(access)


@login_required
@require_POST
def agree(request: AuthenticatedHttpRequest, code: UUID, disclosure_id: UUID) -> HttpResponse:
    return _act(request, code, disclosure_id, services.agree_disclosure, "Agreed.")


@login_required
@require_POST
def revoke(request: AuthenticatedHttpRequest, code: UUID, disclosure_id: UUID) -> HttpResponse:
    return _act(request, code, disclosure_id, services.revoke_disclosure, "Revoked.")


@login_required
@require_POST
def log_use(request: AuthenticatedHttpRequest, code: UUID, disclosure_id: UUID) -> HttpResponse:
    access = get_partnership_for_partner(request.user, code)
    disclosure = selectors.get_agreed_disclosure(access.partnership, disclosure_id)
    if access.role != "mentor":
        raise PermissionDenied("Only the mentor logs a use.")
    form = UseForm(request.POST)
    if form.is_valid():
        try:
            services.log_use(disclosure=disclosure, user=request.user, **form.cleaned_data)
        except ConfidentialityError as error:
            place_errors(form, error)
        else:
            messages.success(request, "Use logged.")
            return _back(access)
    return _page(request, access, status=400, use_form=form, use_for=disclosure.pk)


@login_required
@GET_POST
def danger(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = get_partnership_for_partner(request.user, code)
    if access.role != "mentor":
        raise PermissionDenied("Only the mentor records a disclosure in serious danger.")
    if selectors.DANGER not in _declared(access):
        raise Http404("This program's agreement does not declare this exception.")
    form = DangerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.record_danger_disclosure(
                partnership=access.partnership,
                user=request.user,
                disclosed_to=data["disclosed_to"],
                reason=data["reason"],
                mentee_told_at=timezone.now() if data["mentee_told"] else None,
            )
        except ConfidentialityError as error:
            place_errors(form, error)
        else:
            said, level = "", messages.WARNING
            if record.contact is not None:
                said = (
                    f"Recorded: {record.contact.full_name}, the safeguarding contact, is alerted."
                )
                level = messages.SUCCESS
            elif access.partnership.program.contact_email:
                said = (
                    "Recorded. The program has no safeguarding contact designated: its address "
                    f"{access.partnership.program.contact_email} is alerted. "
                    "Tell the program directly too."
                )
            else:
                said = (
                    "Recorded. The program has no safeguarding contact and no contact address: "
                    "nobody could be alerted. Tell the program directly."
                )
            messages.add_message(request, level, said)
            return redirect("confidentiality:danger_record", record.public_id)
    return render(
        request,
        "confidentiality/danger.html",
        {
            "access": access,
            "partnership": access.partnership,
            "form": form,
            "contact": selectors.contact_of(access.partnership.program),
        },
        status=400 if request.method == "POST" else 200,
    )


def _record_page(request, record, part: str, form=None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "confidentiality/danger_record.html",
        {
            "record": record,
            "part": part,
            "partnership": record.partnership,
            "form": form or ToldForm(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def danger_record(request: AuthenticatedHttpRequest, record_id: UUID) -> HttpResponse:
    record, part = selectors.get_danger_for_reader(request.user, record_id)
    return _record_page(request, record, part)


@login_required
@require_POST
def mentee_told(request: AuthenticatedHttpRequest, record_id: UUID) -> HttpResponse:
    record, part = selectors.get_danger_for_reader(request.user, record_id)
    if part != "mentor":
        raise PermissionDenied("Only the mentor who disclosed records this.")
    form = ToldForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["told_on"]
        # A day, kept as its noon (UTC); today's is now at the latest (a future day is refused).
        told_at = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
        if day <= timezone.localdate():
            told_at = min(told_at, timezone.now())
        try:
            services.record_mentee_told(record=record, user=request.user, told_at=told_at)
        except ConfidentialityError as error:
            place_errors(form, error)
        else:
            messages.success(request, "Recorded.")
            return redirect("confidentiality:danger_record", record.public_id)
    return _record_page(request, record, part, form, status=400)


@login_required
@GET_POST
def contact(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = get_program_for_coordinator(request.user, program_id)
    coordinators = list(selectors.coordinators_of(program))
    current = selectors.contact_of(program)
    form = ContactForm(
        request.POST or None,
        coordinators=coordinators,
        initial={"contact": str(current.user.public_id) if current else ""},
    )
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(public_id=form.cleaned_data["contact"]).first()
        try:
            if user is None:
                raise ConfidentialityError(
                    "Choose one of the program's coordinators.", field="contact"
                )
            services.set_safeguarding_contact(program=program, actor=request.user, user=user)
        except ConfidentialityError as error:
            place_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("confidentiality:contact", program.public_id)
    return render(
        request,
        "confidentiality/contact.html",
        {
            "program": program,
            "form": form,
            "current": current,
            "alerts": selectors.danger_records_for_contact(request.user).filter(
                partnership__program=program
            ),
        },
        status=400 if request.method == "POST" else 200,
    )
