"""The agreement's pages: edit the draft together, sign, amend, read the history, download a
PDF of any version, and the public verify page. Each view: selector, form, service, respond."""

from collections.abc import Callable, Iterable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorpact.accounts import services as account_services
from mentorpact.accounts.limits import verify_limit
from mentorpact.accounts.models import User
from mentorpact.agreement_templates import rendering
from mentorpact.agreement_templates.schema import Template
from mentorpact.agreement_templates.values import incomplete, validate_values
from mentorpact.agreements import content as agreement_content
from mentorpact.agreements import pdf, selectors, services, tokens
from mentorpact.agreements import steps as agreement_steps
from mentorpact.agreements.forms import NameSignerForm, SignForm, VerifyForm
from mentorpact.agreements.models import (
    Agreement,
    AgreementVersion,
    ESignConsent,
    InvitedSigner,
    Signature,
)
from mentorpact.agreements.selectors import AgreementAccess, ExistingAgreementAccess
from mentorpact.audit.models import Event
from mentorpact.lib.http import AuthenticatedHttpRequest, client_address
from mentorpact.partnerships.models import Partnership
from mentorpact.partnerships.selectors import get_partnership_for_partner, get_partnership_for_user


def _ip(request: HttpRequest) -> str | None:
    return client_address(request)  # behind TRUSTED_PROXIES, the signer's own address


def _user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:500]


def _agreement_url(code: UUID) -> str:
    return reverse("agreements:agreement", args=[code])


def _names(partnership: Partnership) -> dict[str, str]:
    return {"mentor": partnership.mentor.full_name, "mentee": partnership.mentee.full_name}


def _labelled(signatures: Iterable[Signature], template: Template) -> list[tuple[Signature, str]]:
    """Each signature with its role as the form names it ("student")."""
    return [(s, template.role_noun(s.role)) for s in signatures]


def _invited_rows(
    agreement: Agreement,
    template: Template,
    draft: AgreementVersion,
    signatures: list[Signature],
    role: str,
    forms: dict[str, NameSignerForm] | None = None,
) -> list[dict]:
    """The agreement's extra signers for the partners' page: who is named, whether they have
    signed, and the naming form for the partner who names them."""
    named = selectors.invited_signers(agreement)
    signed = {s.role for s in signatures}
    rows = []
    for extra in template.extra_signers:
        invited = named.get(extra.key)
        form = (forms or {}).get(extra.key)
        if form is None and extra.named_by == role and extra.key not in signed:
            form = NameSignerForm(
                initial={
                    "role": extra.key,
                    **({"name": invited.name, "email": invited.email} if invited else {}),
                },
                prefix=f"signer-{extra.key}",
            )
        rows.append(
            {
                "key": extra.key,
                "label": extra.label,
                "noun": template.role_noun(extra.key),
                "named_by": template.role_noun(extra.named_by),
                "invited": invited,
                "signed": extra.key in signed,
                "form": form if extra.named_by == role and extra.key not in signed else None,
            }
        )
    return rows


def _voided_notice(
    agreement: Agreement, user: User, draft: AgreementVersion | None
) -> Event | None:
    """The latest voiding of this person's signature, unless they have signed again since."""
    if draft is None:
        return None
    event = selectors.voided_signature_event(agreement, user, before=draft.number)
    if event is None or draft.signatures.filter(signer=user).exists():
        return None
    return event


def _stale_changes(stale: services.StaleDraft, template: Template) -> list[dict]:
    return [
        {
            "label": change.label,
            "text": agreement_content.value_text(template.field(change.key), change.after),
        }
        for change in stale.changes
    ]


def _page(
    request: AuthenticatedHttpRequest,
    access: AgreementAccess,
    *,
    values: dict | None = None,
    errors: dict[str, list[str]] | None = None,
    revision: int | None = None,
    stale: services.StaleDraft | None = None,
    conflicts: Iterable[str] = (),
    saved: bool = False,
    signer_forms: dict[str, NameSignerForm] | None = None,
) -> HttpResponse:
    """The agreement page (or, for htmx, its draft fragment)."""
    agreement = access.agreement
    partnership = access.partnership
    user = request.user
    draft = selectors.draft_version(agreement) if agreement else None
    in_effect = selectors.partnership_in_effect(partnership)
    context = {
        "access": access,
        "partnership": partnership,
        "agreement": agreement,
        "draft": draft,
        "in_effect": in_effect,
        "saved": saved,
    }
    if access.is_coordinator:
        context["coordinator_signs"] = bool(draft and "coordinator" in selectors.signers_of(draft))
        may_read = in_effect is not None and selectors.coordinator_may_read(in_effect)
        context["coordinator_may_read"] = may_read
        if in_effect is not None and may_read:
            template = agreement_content.template_of(in_effect.template_version)
            context["in_effect_doc"] = rendering.build_print(
                template, in_effect.content, is_draft=False
            )
        return render(request, "agreements/agreement.html", context)
    if in_effect is not None:
        context["in_effect_signatures"] = _labelled(
            selectors.valid_signatures(in_effect),
            agreement_content.template_of(in_effect.template_version),
        )
        # A form that lets the partners agree on a disclosure (confidentiality's records):
        # signed, they are offered it at once (and any time after, from the partnership).
        in_force = agreement_content.template_of(in_effect.template_version)
        context["agreed_disclosure"] = "agreed_disclosure" in (
            in_force.rules.confidentiality_exceptions or ()
        )
    if agreement is not None and draft is not None:
        template = agreement_content.template_of(draft.template_version)
        signatures = list(selectors.valid_signatures(draft))
        signed = {s.role for s in signatures}
        context.update(
            {
                "signed_so_far": _labelled(signatures, template),
                "i_sign": access.role in template.signers,
                "signer_nouns": " and the ".join(template.role_noun(r) for r in template.signers),
                "waiting_for": " and the ".join(
                    template.role_noun(r) for r in template.signers if r not in signed
                ),
                "invited_rows": _invited_rows(
                    agreement, template, draft, signatures, access.role, signer_forms
                ),
                "form": rendering.build_form(
                    template,
                    draft.content if values is None else values,
                    errors,
                    party=access.role,
                    names=_names(partnership),
                ),
                # The revision this form's next save is based on: after an error, still the
                # one the person started from, so a partner's save in between is not lost.
                "revision": revision or draft.revision,
                "stale": stale,
                "stale_changes": _stale_changes(stale, template) if stale else [],
                "conflicts": [template.field(key).label for key in conflicts],
                "signatures": signatures,
                "my_signature": next((s for s in signatures if s.signer_id == user.pk), None),
                "problems": [
                    (template.field(key).label, message)
                    for key, message in incomplete(
                        template, draft.content, today=timezone.localdate()
                    ).items()
                ],
                "voided": _voided_notice(agreement, user, draft),
                "is_late": bool(agreement.due_on and timezone.localdate() > agreement.due_on),
            }
        )
    template_name = "agreements/agreement.html"
    if request.htmx and draft is not None and signer_forms is None:
        template_name += "#draft"
    return render(request, template_name, context)


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = selectors.get_agreement_for_user(request.user, code)
    if request.method == "POST":
        return _save(request, access)
    # A GET only reads: before the first draft the page offers "Start the agreement" (start).
    return _page(request, access)


@login_required
@require_POST
def start(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    """A partner starts the agreement: the first draft, from the program's current template.
    Idempotent: two partners starting at once get the same agreement."""
    # The partnership's access (there is no agreement to read yet): coordinator 403, others 404.
    access = get_partnership_for_partner(request.user, code)
    try:
        services.start_agreement(partnership=access.partnership, actor=request.user)
    except services.AgreementError as error:
        messages.error(request, error.message)
        return redirect(_agreement_url(access.partnership.public_id))
    return redirect(_agreement_url(access.partnership.public_id) + "#draft")


def _save(request: AuthenticatedHttpRequest, access: AgreementAccess) -> HttpResponse:
    if not access.is_partner:
        raise PermissionDenied("Only the mentor and mentee can edit their agreement.")
    if access.agreement is None:
        raise Http404
    draft = selectors.draft_version(access.agreement)
    if draft is None:
        messages.error(request, "This agreement is in effect: propose an amendment to change it.")
        return redirect(_agreement_url(access.partnership.public_id))
    template = agreement_content.template_of(draft.template_version)
    values = rendering.parse_post(template, request.POST, party=access.role)
    outcome = _save_values(
        request,
        access,
        template,
        values,
        show=lambda **again: _page(request, access, **again),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    if outcome.pk != draft.pk:
        messages.warning(request, _new_version_message(outcome, draft))
    if request.htmx:
        return _page(request, access, saved=True)
    messages.success(request, "Draft saved.")
    return redirect(_agreement_url(access.partnership.public_id) + "#draft")


def _new_version_message(version: AgreementVersion, draft: AgreementVersion) -> str:
    return (
        f"Saved as version {version.number}. Your partner had signed version {draft.number}: "
        "their signature was voided, and they have been told by email."
    )


def _save_values(
    request: AuthenticatedHttpRequest,
    access: AgreementAccess,
    template: Template,
    values: dict,
    *,
    show: Callable[..., HttpResponse],
) -> AgreementVersion | HttpResponse:
    """services.save_draft with the form's answer to each refusal, for the whole form and for
    one step alike: the saved version, or `show(values=, errors=, revision=, stale=,
    conflicts=)`'s page (the form again with the errors, or with a partner's newer save merged
    in), or a redirect when the agreement came into effect meanwhile."""
    if access.agreement is None:
        raise Http404
    try:
        based_on = int(request.POST.get("revision", ""))
    except ValueError:
        based_on = 0  # a tampered form: treated as stale, so nothing is overwritten
    try:
        return services.save_draft(
            agreement=access.agreement, user=request.user, values=values, based_on_revision=based_on
        )
    except ValidationError as error:
        return show(values=values, errors=error.message_dict, revision=based_on or None)
    except services.StaleDraft as stale:
        cleaned, _errors = validate_values(
            template, values, party=access.role, today=timezone.localdate()
        )
        mine = {key: cleaned.get(key) for key in values}
        merged = services.merge_stale(stale, mine)
        return show(
            values=merged.content,
            revision=stale.current.revision,
            stale=stale,
            conflicts=merged.conflicts,
        )
    except services.AgreementLocked as error:
        messages.error(request, error.message)
        return redirect(_agreement_url(access.partnership.public_id))


def _draft_or_redirect(
    request: AuthenticatedHttpRequest, access: ExistingAgreementAccess
) -> AgreementVersion | HttpResponse:
    draft = selectors.draft_version(access.agreement)
    if draft is None:
        messages.info(request, "There is no draft to fill in: the agreement is in effect.")
        return redirect(_agreement_url(access.partnership.public_id))
    return draft


def _steps_url(code: UUID, key: str | None = None) -> str:
    if key is None:
        return reverse("agreements:steps", args=[code])
    return reverse("agreements:step", args=[code, key])


@login_required
@require_GET
def steps(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    """The draft as a task list: each section with its state for this partner (agreements.steps),
    a link to fill it in, and, once nothing stops signing, "Check your answers and sign"."""
    access = selectors.get_agreement_for_partner(request.user, code)
    draft = _draft_or_redirect(request, access)
    if isinstance(draft, HttpResponse):
        return draft
    template = agreement_content.template_of(draft.template_version)
    today = timezone.localdate()
    all_steps = agreement_steps.steps_of(template, draft.content, access.role, today=today)
    signatures = list(selectors.valid_signatures(draft))
    return render(
        request,
        "agreements/steps.html",
        {
            "access": access,
            "partnership": access.partnership,
            "agreement": access.agreement,
            "draft": draft,
            "template": template,
            "steps": all_steps,
            "done": sum(step.state == agreement_steps.COMPLETE for step in all_steps),
            "ready": not incomplete(template, draft.content, today=today),
            "my_signature": next((s for s in signatures if s.signer_id == request.user.pk), None),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def step(request: AuthenticatedHttpRequest, code: UUID, section: str) -> HttpResponse:
    """One section of the draft on its own page. "Save and continue" saves this section's
    fields through services.save_draft, exactly as the whole form does (the same refusals:
    errors beside the fields with the input kept, a partner's newer save merged in and shown),
    then goes on to the next section; after the last, to signing when nothing stops it, or
    back to the task list."""
    access = selectors.get_agreement_for_partner(request.user, code)
    draft = _draft_or_redirect(request, access)
    if isinstance(draft, HttpResponse):
        return draft
    template = agreement_content.template_of(draft.template_version)
    keys = [s.key for s in template.sections]
    if section not in keys:
        raise Http404
    index = keys.index(section)

    def show(**again) -> HttpResponse:
        return _step_page(request, access, draft, template, index, **again)

    if request.method == "GET":
        return show()
    own = agreement_steps.section_keys(template.sections[index])
    values = {
        key: value
        for key, value in rendering.parse_post(template, request.POST, party=access.role).items()
        if key in own
    }
    outcome = _save_values(request, access, template, values, show=show)
    if isinstance(outcome, HttpResponse):
        return outcome
    if outcome.pk != draft.pk:
        messages.warning(request, _new_version_message(outcome, draft))
    heading = agreement_steps.heading_of(template.sections[index], index + 1)
    messages.success(request, f"Saved “{heading}”.")
    code = access.partnership.public_id
    if request.POST.get("from") == "check":  # a "Change" link of the sign page: back there
        return redirect(reverse("agreements:sign", args=[code]))
    if index + 1 < len(keys):
        return redirect(_steps_url(code, keys[index + 1]))
    if incomplete(template, outcome.content, today=timezone.localdate()):
        return redirect(_steps_url(code))
    return redirect(reverse("agreements:sign", args=[code]))


def _step_page(
    request: AuthenticatedHttpRequest,
    access: ExistingAgreementAccess,
    draft: AgreementVersion,
    template: Template,
    index: int,
    *,
    values: dict | None = None,
    errors: dict[str, list[str]] | None = None,
    revision: int | None = None,
    stale: services.StaleDraft | None = None,
    conflicts: Iterable[str] = (),
) -> HttpResponse:
    section = template.sections[index]
    # After an error, this section's typed values over the draft's saved ones (a step posts
    # only its own fields); after a stale save, the merged content.
    content = draft.content if values is None else {**draft.content, **values}
    form = rendering.build_form(
        template, content, errors, party=access.role, names=_names(access.partnership)
    )
    all_steps = agreement_steps.steps_of(
        template, draft.content, access.role, today=timezone.localdate()
    )
    return render(
        request,
        "agreements/step.html",
        {
            "access": access,
            "partnership": access.partnership,
            "agreement": access.agreement,
            "draft": draft,
            "template": template,
            "step": all_steps[index],
            "count": len(all_steps),
            "previous": all_steps[index - 1] if index else None,
            "is_last": index + 1 == len(all_steps),
            "from_check": request.GET.get("from", request.POST.get("from")) == "check",
            "signatures": list(selectors.valid_signatures(draft)),
            "form": rendering.one_section(form, section.key),
            "revision": revision or draft.revision,
            "stale": stale,
            "stale_changes": _stale_changes(stale, template) if stale else [],
            "conflicts": [template.field(key).label for key in conflicts],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sign(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = selectors.get_agreement_for_signer(request.user, code)
    draft = selectors.draft_version(access.agreement)
    if draft is None:
        messages.info(request, "There is no draft to sign: the agreement is in effect.")
        return redirect(_agreement_url(access.partnership.public_id))
    consent = selectors.active_consent(request.user)
    if request.method == "POST":
        form = SignForm(request.POST)
        if form.is_valid():
            response = _sign(request, access, form, consent)
            if response is not None:
                return response
    else:
        form = SignForm(
            initial={
                "number": draft.number,
                "revision": draft.revision,
                "content_sha256": draft.content_sha256,
                "statement": selectors.signing_statement(
                    version=draft, user=request.user, role=access.role
                ),
            }
        )
    template = agreement_content.template_of(draft.template_version)
    signatures = list(selectors.valid_signatures(draft))
    problems = incomplete(template, draft.content, today=timezone.localdate())
    # "Check your answers": each section a partner fills in links back to its step.
    change_links = {}
    if access.is_partner:
        code = access.partnership.public_id
        change_links = {
            step.key: _steps_url(code, step.key) + "?from=check"
            for step in agreement_steps.steps_of(
                template, draft.content, access.role, today=timezone.localdate()
            )
            if step.fillable
        }
    return render(
        request,
        "agreements/sign.html",
        {
            "role_noun": template.role_noun(access.role),
            "accepted_by_signing": selectors.accepted_by_signing(template, access.role),
            "access": access,
            "partnership": access.partnership,
            "agreement": access.agreement,
            "draft": draft,
            "doc": rendering.build_print(template, draft.content),
            "change_links": change_links,
            "form": form,
            "consent": consent,
            "consent_statement": services.ESIGN_CONSENT_STATEMENT,
            "statement": selectors.signing_statement(
                version=draft, user=request.user, role=access.role
            ),
            "problems": [(template.field(key).label, message) for key, message in problems.items()],
            "signatures": signatures,
            "my_signature": next((s for s in signatures if s.signer_id == request.user.pk), None),
        },
    )


def _sign(
    request: AuthenticatedHttpRequest,
    access: ExistingAgreementAccess,
    form: SignForm,
    consent: ESignConsent | None,
) -> HttpResponse | None:
    """Sign; a response when done, None to show the form again with its errors."""
    version = access.agreement.versions.filter(number=form.cleaned_data["number"]).first()
    if not _consent_and_sign(request, form, consent, request.user, access.agreement, version):
        return None
    assert version is not None  # signed
    version.refresh_from_db()
    messages.success(request, _signed_message(version))
    return redirect(_agreement_url(access.partnership.public_id))


def _consent_and_sign(
    request: HttpRequest,
    form: SignForm,
    consent: ESignConsent | None,
    person: User,
    agreement: Agreement,
    version: AgreementVersion | None,
    invited: InvitedSigner | None = None,
) -> bool:
    """Give consent (when the form does and there is none) and sign `version` as `person`;
    False, with the reason on the form, when it was refused."""
    data = form.cleaned_data
    if (
        version is None
        or version.status != AgreementVersion.Status.DRAFT
        or version.number != data["number"]
    ):
        form.add_error(None, "A newer version was saved while you were reading: read it again.")
        return False
    if consent is None:
        if not data["consent"]:
            form.add_error("consent", "Agree to do business electronically to sign here.")
            return False
        services.give_esign_consent(
            user=person, agreement=agreement, ip=_ip(request), user_agent=_user_agent(request)
        )
    try:
        services.sign_agreement(
            version=version,
            user=person,
            typed_name=data["typed_name"],
            intent_statement=data["statement"],
            ip=_ip(request),
            user_agent=_user_agent(request),
            content_sha256_shown=data["content_sha256"],
            revision_shown=data["revision"],
            invited=invited,
        )
    except services.AgreementError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return False
    return True


def _signed_message(version: AgreementVersion) -> str:
    template = agreement_content.template_of(version.template_version)
    signers = template.signers
    if version.status == AgreementVersion.Status.IN_EFFECT:
        if len(signers) == 1:
            return (
                f"You signed: version {version.number} is in effect. The signed PDF is on its "
                "way to you both by email."
            )
        if len(signers) == 2 and set(signers) == {"mentor", "mentee"}:
            return (
                f"You signed, and so did your partner: version {version.number} is in effect. "
                "The signed PDF is on its way to you both by email."
            )
        return (
            f"You signed, and so did everyone else: version {version.number} is in effect. "
            "The signed PDF is on its way to every signer by email."
        )
    if len(signers) == 2 and set(signers) == {"mentor", "mentee"}:
        return f"You signed version {version.number}. Your partner signs next."
    signed = set(selectors.valid_signatures(version).values_list("role", flat=True))
    waiting = " and the ".join(template.role_noun(role) for role in signers if role not in signed)
    return f"You signed version {version.number}. Still to sign: the {waiting}."


@login_required
@require_POST
def withdraw_consent(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = selectors.get_agreement_for_signer(request.user, code)
    if services.withdraw_esign_consent(user=request.user, agreement=access.agreement):
        messages.success(
            request,
            "You withdrew your consent to do business electronically. Signatures you gave "
            "stay valid; to sign again here, give your consent again.",
        )
    return redirect(reverse("agreements:sign", args=[access.partnership.public_id]))


@login_required
@require_POST
def name_signer(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    """A partner names an extra signer (a parent or guardian): they are emailed a link to sign."""
    access = selectors.get_agreement_for_partner(request.user, code)
    role = request.POST.get("role", "")
    form = NameSignerForm(request.POST, prefix=f"signer-{role}")
    if form.is_valid():
        try:
            invited = services.name_invited_signer(
                agreement=access.agreement,
                user=request.user,
                role=role,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
            )
        except services.AgreementError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, f"{invited.name} is invited by email to sign. You see here when they have."
            )
            return redirect(_agreement_url(access.partnership.public_id) + "#signers")
    return _page(request, access, signer_forms={role: form})


@require_http_methods(["GET", "POST"])
def invited_sign(request: HttpRequest, token: str) -> HttpResponse:
    """An invited signer's page, by their emailed link (no sign-in): the draft they sign, their
    consent and signature; once signed, the version they signed. Nothing else of the
    partnership: no link to it, its history or its other pages."""
    invited = tokens.read(token)
    if invited is None:
        raise Http404("This link does not work: it is old, or the signer was named anew.")
    agreement = invited.agreement
    draft = selectors.draft_version(agreement)
    mine = (
        Signature.objects.filter(
            version__agreement=agreement,
            role=invited.role,
            signer=invited.user,
            voided_at__isnull=True,
        )
        .select_related("version__template_version")
        .order_by("-version__number")
        .first()
    )
    version = draft if draft is not None else (mine.version if mine else None)
    if version is None:
        raise Http404("There is nothing for you to sign here.")
    template = agreement_content.template_of(version.template_version)
    if invited.role not in template.signers:
        raise Http404("There is nothing for you to sign here.")
    person = invited.user
    consent = selectors.active_consent(person)
    statement = selectors.signing_statement(version=version, user=person, role=invited.role)
    form = SignForm(
        initial={
            "number": version.number,
            "revision": version.revision,
            "content_sha256": version.content_sha256,
            "statement": statement,
        }
    )
    if request.method == "POST" and "withdraw" in request.POST:
        if services.withdraw_esign_consent(user=person, agreement=agreement):
            messages.success(
                request,
                "You withdrew your consent to do business electronically. A signature you gave "
                "stays valid; to sign here, give your consent again.",
            )
        return redirect(request.path)
    if request.method == "POST" and draft is not None:
        form = SignForm(request.POST)
        if form.is_valid() and _sign_invited(request, invited, version, form, consent):
            return redirect(request.path)
    signatures = list(selectors.valid_signatures(version))
    problems = incomplete(template, version.content, today=timezone.localdate())
    return render(
        request,
        "agreements/invited_sign.html",
        {
            "invited": invited,
            "person": person,
            "program": agreement.partnership.program,
            "version": version,
            "is_draft": version.is_draft,
            "role_noun": template.role_noun(invited.role),
            "accepted_by_signing": selectors.accepted_by_signing(template, invited.role),
            "doc": rendering.build_print(
                template,
                version.content,
                signatures=[
                    {"role": s.role, "typed_name": s.typed_name, "date": ""} for s in signatures
                ],
                is_draft=version.is_draft,
            ),
            "form": form,
            "consent": consent,
            "consent_statement": services.ESIGN_CONSENT_STATEMENT,
            "statement": statement,
            "problems": [(template.field(key).label, message) for key, message in problems.items()],
            "my_signature": next((s for s in signatures if s.role == invited.role), None),
        },
    )


def _sign_invited(
    request: HttpRequest,
    invited: InvitedSigner,
    version: AgreementVersion,
    form: SignForm,
    consent: ESignConsent | None,
) -> bool:
    """Sign as the invited signer; False to show the form again with its errors."""
    person, agreement = invited.user, invited.agreement
    if not _consent_and_sign(request, form, consent, person, agreement, version, invited):
        return False
    noun = agreement_content.template_of(version.template_version).role_noun(invited.role)
    messages.success(request, f"You signed version {version.number} as the {noun}.")
    return True


@login_required
@require_POST
def amend(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = selectors.get_agreement_for_partner(request.user, code)
    try:
        version = services.propose_amendment(agreement=access.agreement, user=request.user)
    except services.AgreementError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Amendment started as version {version.number}. The version in effect stays in "
            "effect until you both sign the amendment.",
        )
    return redirect(_agreement_url(access.partnership.public_id) + "#draft")


@login_required
@require_GET
def history(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    """Every agreement the partnership has had (a continuation starts a new one), newest first,
    each with its versions, what changed and what happened."""
    access = selectors.get_agreement_for_partner(request.user, code)
    agreements = [
        _agreement_history(agreement) for agreement in selectors.agreements_of(access.partnership)
    ]
    return render(
        request,
        "agreements/history.html",
        {
            "access": access,
            "partnership": access.partnership,
            "agreement": access.agreement,
            "agreements": agreements,
        },
    )


def _agreement_history(agreement: Agreement) -> dict:
    versions = selectors.version_history(agreement)
    templates = {
        v.version.template_version_id: agreement_content.template_of(v.version.template_version)
        for v in versions
    }
    template_of_version = {v.version.pk: templates[v.version.template_version_id] for v in versions}
    events = []  # each event with what it says
    for event in selectors.agreement_events(agreement):
        template = template_of_version.get(event.details.get("version_id"))
        events.append((event, agreement_content.event_text(event, template)))
    for entry in versions:
        template = templates[entry.version.template_version_id]
        entry.rows = [
            {
                "label": change.label,
                "before": agreement_content.value_text(template.field(change.key), change.before),
                "after": agreement_content.value_text(template.field(change.key), change.after),
            }
            for change in entry.changes
        ]
    return {"agreement": agreement, "versions": versions, "events": events}


@login_required
@require_GET
def version(
    request: AuthenticatedHttpRequest, code: UUID, agreement: int, number: int
) -> HttpResponse:
    access, version = selectors.get_version_for_reader(request.user, code, agreement, number)
    template = agreement_content.template_of(version.template_version)
    return render(
        request,
        "agreements/version.html",
        {
            "access": access,
            "partnership": access.partnership,
            "agreement": version.agreement,
            "version": version,
            "doc": rendering.build_print(template, version.content, is_draft=not version.is_signed),
            "signatures": _labelled(selectors.valid_signatures(version), template),
        },
    )


@login_required
@require_GET
def version_pdf(
    request: AuthenticatedHttpRequest, code: UUID, agreement: int, number: int
) -> HttpResponse:
    access, version = selectors.get_version_for_reader(request.user, code, agreement, number)
    data = services.version_pdf(version=version)
    services.record_pdf_download(version=version, user=request.user)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(version)}"'
    return response


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone may check a PDF; names are shown only to people who may see the partnership.
    Each check costs a signature validation, so a client gets VERIFY_LIMIT of them before a
    pause (accounts.services throttles)."""
    result = None
    names = None
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        # A valid upload takes one of this client's checks (the size and type checks cost
        # nothing); past VERIFY_LIMIT the check waits, the file is not validated.
        minutes = 0
        if form.is_valid():
            minutes = account_services.take_attempt(
                limits={client_address(request) or "unknown": verify_limit()}
            )
        if minutes:
            form.add_error(
                "pdf",
                f"Too many checks from here in a short time: try again in {minutes} "
                f"minute{'s' if minutes != 1 else ''}.",
            )
            status = 429
        elif form.is_valid():
            result = selectors.check_pdf(form.cleaned_data["pdf"])
            identity = result.verification.identity  # an intact seal names one
            if result.intact and result.version is not None and identity is not None:
                try:
                    get_partnership_for_user(request.user, identity.partnership)
                except Http404:
                    pass
                else:
                    names = result.version.agreement.partnership
    else:
        form = VerifyForm()
    return render(
        request,
        "agreements/verify.html",
        {"form": form, "result": result, "names": names},
        status=status,
    )
