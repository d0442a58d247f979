from collections.abc import Callable
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorpact.accounts.models import User
from mentorpact.agreement_templates import selectors as template_selectors
from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.office import people, selectors, services, tokens
from mentorpact.office.forms import (
    AcceptForm,
    CoordinatorForm,
    InviteForm,
    ProgramForm,
    SettingsForm,
    UploadForm,
)
from mentorpact.office.models import Invitation, PeopleUpload
from mentorpact.outbox import selectors as outbox_selectors
from mentorpact.outbox import services as outbox_services
from mentorpact.programs import selectors as program_selectors
from mentorpact.programs.models import Enrolment, Program
from mentorpact.progress import selectors as progress_selectors
from mentorpact.sso import selectors as sso_selectors


def _form_errors(
    form: forms.BaseForm, error: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """A service's refusal beside the field it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            name = (rename or {}).get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _say_enrolled(
    request: HttpRequest, result: services.EnrolResult, email: str, role: str
) -> None:
    if result.invited:
        messages.success(request, f"{email} is invited by email, as {role}.")
    elif result.enrolled:
        messages.success(request, f"{email} has an account: enrolled as {role} and told.")
    elif result.updated:
        messages.success(request, f"{email}'s capacity is updated.")
    else:
        messages.info(request, f"{email} is already enrolled as {role}.")


# --- Site administrators -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def programs(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.require_site_admin(request.user)
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.create_program(
                name=form.cleaned_data["name"],
                coordinator_email=form.cleaned_data["coordinator_email"],
                coordinator_name=form.cleaned_data["coordinator_name"],
                actor=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error, rename={"full_name": "coordinator_name"})
        else:
            messages.success(
                request,
                f"{program.name} is created; {form.cleaned_data['coordinator_email']} is its "
                "coordinator and has been emailed.",
            )
            return redirect("office:programs")
    archived = request.GET.get("archived") == "1"
    return render(
        request,
        "office/programs.html",
        {
            "form": form,
            "programs": selectors.all_programs(archived=archived),
            "archived": archived,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def archive(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    # The program first: an outsider learns nothing of it (404) before being refused (403).
    program = selectors.get_program_for_settings(request.user, program_id)
    selectors.require_site_admin(request.user)
    if request.POST.get("restore"):
        services.restore_program(program=program, actor=request.user)
        messages.success(request, f"{program.name} is current again.")
    else:
        services.archive_program(program=program, actor=request.user)
        messages.success(request, f"{program.name} is archived.")
    return redirect("office:programs")


# --- Coordinators ------------------------------------------------------------------------


@login_required
@require_GET
def my_programs(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = list(selectors.my_programs(request.user))
    return render(request, "office/my_programs.html", {"programs": rows})


def _settings_page(
    request: AuthenticatedHttpRequest,
    program: Program,
    *,
    form: SettingsForm | None = None,
    coordinator_form: CoordinatorForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "office/settings.html",
        {
            "program": program,
            "template": template_selectors.chosen_template(program),
            "form": form or SettingsForm(instance=program),
            "coordinator_form": coordinator_form or CoordinatorForm(),
            "coordinators": list(selectors.coordinators(program)),
            "is_coordinator": Enrolment.objects.filter(
                program=program, user=request.user, role=Enrolment.Role.COORDINATOR
            ).exists(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_settings(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = selectors.get_program_for_settings(request.user, program_id)
    if request.method == "GET":
        return _settings_page(request, program)
    # The form edits a copy: a refused change must not show as saved elsewhere on the page.
    form = SettingsForm(request.POST, instance=type(program).objects.get(pk=program.pk))
    if form.is_valid():
        try:
            changed = services.update_program(program=program, actor=request.user, **form.values())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if changed:
                messages.success(request, "The program's settings are saved.")
            else:
                messages.info(request, "Nothing changed.")
            return redirect("office:settings", program_id=program.public_id)
    return _settings_page(request, program, form=form, status=400)


@login_required
@require_POST
def add_coordinator(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = selectors.get_program_for_settings(request.user, program_id)
    form = CoordinatorForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            result = services.enrol_people(
                program=program,
                people=[
                    services.Person(
                        email=email,
                        full_name=form.cleaned_data["full_name"],
                        role=Enrolment.Role.COORDINATOR,
                    )
                ],
                actor=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            _say_enrolled(request, result, email, "coordinator")
            return redirect("office:settings", program_id=program.public_id)
    return _settings_page(request, program, coordinator_form=form, status=400)


@login_required
@require_POST
def remove_coordinator(
    request: AuthenticatedHttpRequest, program_id: UUID, user_id: UUID
) -> HttpResponse:
    program = selectors.get_program_for_settings(request.user, program_id)
    user = User.objects.filter(public_id=user_id).first()
    if user is None:
        raise Http404
    try:
        services.remove_coordinator(program=program, user=user, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{user} no longer coordinates {program.name}.")
    if user == request.user and not request.user.is_superuser:
        return redirect("home")
    return redirect("office:settings", program_id=program.public_id)


# --- People ------------------------------------------------------------------------------


@login_required
@require_GET
def roster(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = selectors.get_program_for_coordinator(request.user, program_id)
    role = request.GET.get("role", "")
    role = role if role in Enrolment.Role.values else ""
    status = request.GET.get("status", "")
    status = status if status in selectors.ROSTER_STATUSES else ""
    search = request.GET.get("q", "")[:100]
    rows = selectors.roster(program, role=role, status=status, search=search)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    template = "office/roster.html"
    if request.htmx and request.htmx.target == "roster-list":
        template += "#roster-list"
    query = request.GET.copy()
    query.pop("page", None)
    response = render(
        request,
        template,
        {
            "program": program,
            "page": page,
            "role": role,
            "status": status,
            "search": search,
            "roles": Enrolment.Role.choices,
            "statuses": selectors.ROSTER_STATUSES.items(),
            "query": query.urlencode(),
        },
    )
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = selectors.get_program_for_coordinator(request.user, program_id)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = services.Person(
            email=data["email"],
            full_name=data["full_name"],
            role=data["role"],
            department=data["department"],
            time_zone=data["time_zone"],
            capacity=data["capacity"],
        )
        try:
            result = services.enrol_people(program=program, people=[person], actor=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            _say_enrolled(request, result, person.email, person.role)
            return redirect("office:roster", program_id=program.public_id)
    return render(
        request,
        "office/invite.html",
        {"program": program, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_people(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """Upload a CSV and see its preview; nothing is written to the program here."""
    program = selectors.get_program_for_coordinator(request.user, program_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    preview = upload = None
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        preview = people.read_people(file, program)
        if preview.ok:
            upload = services.save_upload(
                program=program,
                actor=request.user,
                filename=file.name,
                content=_bytes(file),
                rows=len(preview.sheet.rows),
            )
    return render(
        request,
        "office/import.html",
        {
            "program": program,
            "form": form,
            "preview": preview,
            "upload": upload,
            "outcomes": people.Outcome,
        },
        status=400 if form.errors or (preview and not preview.ok) else 200,
    )


def _bytes(file: File) -> bytes:
    file.seek(0)
    return file.read()


@login_required
@require_POST
def confirm_import(
    request: AuthenticatedHttpRequest, program_id: UUID, upload_id: UUID
) -> HttpResponse:
    """Start the import of a previewed file: the worker imports it (checked again, all or
    nothing) while the coordinator watches its status page."""
    program = selectors.get_program_for_coordinator(request.user, program_id)
    upload = PeopleUpload.objects.filter(
        program=program, uploaded_by=request.user, public_id=upload_id
    ).first()
    if upload is None:
        messages.error(request, "That preview has expired or was imported already: upload again.")
        return redirect("office:import", program_id=program.public_id)
    # A second click (or a reload of the POST) finds it queued already: the same status page.
    services.queue_import(upload=upload, actor=request.user)
    return redirect(
        "office:import_status", program_id=program.public_id, upload_id=upload.public_id
    )


@login_required
@require_GET
def import_status(
    request: AuthenticatedHttpRequest, program_id: UUID, upload_id: UUID
) -> HttpResponse:
    """How the import is going: htmx asks again every second while it waits; without
    JavaScript the page has a link to look again."""
    upload = selectors.get_upload_for_coordinator(request.user, program_id, upload_id)
    template = "office/import_status.html"
    if request.htmx and request.htmx.target == "import-status":
        template += "#import-status"
    response = render(
        request,
        template,
        {
            "program": upload.program,
            "upload": upload,
            "status": PeopleUpload.Status,
            "result": upload.result,
        },
    )
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _invitation_action(
    request: AuthenticatedHttpRequest,
    program_id: UUID,
    invitation_id: UUID,
    act: Callable[..., None],
    done: str,
    back: str = "office:roster",
) -> HttpResponse:
    """Resend or revoke: the invitation (the coordinator's), the service, its refusal or
    `done` (formatted with the person's email) as a message, and back to the page."""
    invitation = selectors.get_invitation_for_coordinator(request.user, program_id, invitation_id)
    try:
        act(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done.format(email=invitation.user.email))
    return redirect(back, program_id=invitation.program.public_id)


@login_required
@require_POST
def resend(
    request: AuthenticatedHttpRequest, program_id: UUID, invitation_id: UUID
) -> HttpResponse:
    back = "office:settings" if request.POST.get("back") == "settings" else "office:roster"
    return _invitation_action(
        request,
        program_id,
        invitation_id,
        services.resend_invitation,
        "A new invitation is on its way to {email}.",
        back,
    )


@login_required
@require_POST
def revoke(
    request: AuthenticatedHttpRequest, program_id: UUID, invitation_id: UUID
) -> HttpResponse:
    return _invitation_action(
        request,
        program_id,
        invitation_id,
        services.revoke_invitation,
        "{email}'s invitation is revoked; its link no longer works.",
    )


# --- The invited person ------------------------------------------------------------------

REFUSALS = {
    tokens.Refusal.INVALID: "This invitation link is not valid. Check that you copied all of it.",
    tokens.Refusal.EXPIRED: "This invitation link has expired. Ask the program's coordinator "
    "to send you a new one.",
    tokens.Refusal.REVOKED: "This invitation was revoked by the program's coordinator, so its "
    "link no longer works.",
    tokens.Refusal.REPLACED: "A newer invitation replaced this link: use the link in the most "
    "recent email.",
    tokens.Refusal.USED: "This invitation has already been accepted. Sign in with your email "
    "and password.",
}


def _welcome(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    messages.success(request, f"Welcome to {invitation.program.name}.")
    if invitation.role == Enrolment.Role.COORDINATOR:
        return redirect("programs:overview", program_id=invitation.program.public_id)
    # Mentors and mentees answer the program's intake questions first (matching's page
    # sends them home when the program asks none).
    return redirect("matching:profile", program_id=invitation.program.public_id)


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone holding the link; the token names the invitation, its row says if it may be used."""
    invitation, refusal = tokens.read(token)
    if (
        refusal is tokens.Refusal.USED
        and invitation is not None
        and request.user.is_authenticated
        and request.user.pk == invitation.user_id
    ):
        # Accepted already, by this person: their first sign-in through their institution
        # accepts it (office.services.accept_invitations_by_sso), and so does the form.
        return _welcome(request, invitation)
    if refusal is not None or invitation is None:  # read() gives a refusal for no invitation
        refusal = refusal or tokens.Refusal.INVALID
        return render(
            request,
            "office/accept.html",
            {"refusal": REFUSALS[refusal], "invitation": invitation, "used": refusal.value},
            status=404 if refusal is tokens.Refusal.INVALID else 410,
        )
    user = invitation.user
    # The invited address's institution may sign it in (sso): "Accept with <institution>"
    # signs in there and comes back here, signed in; an SSO-only address has no password.
    rule = sso_selectors.domain_for_email(user.email)
    sso_only = rule is not None and rule.sso_only
    signed_in = request.user.is_authenticated and request.user.pk == user.pk
    needs_password = not user.has_usable_password() and not signed_in and not sso_only
    form = AcceptForm(user, request.POST or None) if needs_password else None
    refused = None
    if request.method == "POST" and sso_only and not signed_in:
        assert rule is not None
        refused = f"Addresses at {rule.domain} join with {rule.provider.name}: use the button."
    elif request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.accept_invitation(
                invitation=invitation,
                password=form.cleaned_data["new_password1"] if form else None,
            )
        except services.InvitationUsed:
            return redirect("office:accept", token=token)
        user.refresh_from_db()
        if not signed_in:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        return _welcome(request, invitation)
    return render(
        request,
        "office/accept.html",
        {
            "invitation": invitation,
            "form": form,
            "program": invitation.program,
            "signed_in": signed_in,
            "sso": rule,
            "sso_url": sso_selectors.start_url(rule.provider, request.path)
            if rule is not None and not signed_in
            else "",
            "refused": refused,
            "page_has_errors": refused is not None,
        },
        status=400 if refused or (form is not None and form.errors) else 200,
    )


# What a coordinator reads for each kind of email (never its subject or body).
EMAIL_KINDS = {
    "agreement-signed": "Signed agreement (PDF)",
    "agreement-returned": "Signed agreement, the program's copy",
    "agreement-signature-voided": "Signature voided by an edit",
    "pairing-paired": "Paired: who the partner is",
    "pairing-undone": "Pairing undone",
    "enrolled": "Enrolled in the program",
    "meeting-changed": "Meeting scheduled, moved or cancelled (calendar file)",
    "meeting-feedback": "Feedback asked after a meeting",
    "meetings-ended": "Meetings cancelled: partnership ended",
    "progress-closing-proposed": "Closing review to confirm",
    "progress-ended-early": "Partnership ended early",
    "progress-intervention": "The program's help asked for",
    "progress-thank-you": "Thank-you note to the mentor",
}


@login_required
@require_GET
def deliveries(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """The program's emails: the ones the system gave up on first, with a retry."""
    program = program_selectors.get_program_for_coordinator(request.user, program_id)
    rows = [
        (row, EMAIL_KINDS.get(row.kind, row.kind.replace("-", " ").capitalize()))
        for row in outbox_selectors.program_deliveries(program.pk)
    ]
    return render(
        request,
        "office/deliveries.html",
        {
            "program": program,
            "deliveries": rows,
            "given_up": outbox_selectors.given_up_count(program.pk),
            "failing_reminders": progress_selectors.failing_reminders(program.pk),
        },
    )


@login_required
@require_POST
def retry_delivery(
    request: AuthenticatedHttpRequest, program_id: UUID, email_id: UUID
) -> HttpResponse:
    program = program_selectors.get_program_for_coordinator(request.user, program_id)
    email = outbox_selectors.get_given_up(program.pk, email_id)
    if email is None:
        raise Http404
    outbox_services.retry_email(email=email, actor=request.user)
    messages.success(request, f"The email to {email.to} will be sent again.")
    return redirect("office:deliveries", program_id=program.public_id)
