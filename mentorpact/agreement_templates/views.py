"""Coordinator pages: a program's template, the template editor, preview and print layout."""

import re
from collections.abc import Iterable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.lib.ui import SummaryError
from mentorpact.programs.models import Program
from mentorpact.programs.selectors import get_program_for_coordinator

from . import builder, reference_doc, rendering, selectors, services
from .forms import ChooseForm, CloneForm, NewTemplateForm, TemplateSourceForm
from .models import AgreementTemplate
from .rules import describe_rules, effective_rules
from .schema import FIELD_KINDS, TemplateError, load_template

PREVIEW_PARTIES = {"mentee": "the mentee", "mentor": "the mentor"}


# --- A program's template ----------------------------------------------------------------------


def _program_page(
    request: AuthenticatedHttpRequest,
    program: Program,
    *,
    clone_form: CloneForm | None = None,
    new_form: NewTemplateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    templates = list(selectors.templates_for_program(program))
    current = selectors.chosen_template(program)
    current_version = current.latest_version() if current else None
    if clone_form is None:
        clone_form = CloneForm(
            templates=templates,
            initial={
                "template": current.slug if current else "",
                "slug": f"{current.slug}-copy" if current and current.is_builtin else "",
                "title": current.title if current else "",
            },
        )
    template = "agreement_templates/program_template.html"
    if request.htmx and request.htmx.target == "template-chooser":
        template += "#chooser"
    return render(
        request,
        template,
        {
            "program": program,
            "current": current,
            "current_version": current_version,
            "rules": (
                describe_rules(effective_rules(program, current_version.as_template()))
                if current_version
                else []
            ),
            "templates": templates,
            "clone_form": clone_form,
            "new_form": new_form or NewTemplateForm(prefix="new"),
            "events": selectors.program_template_events(program),
        },
        status=status,
    )


@login_required
@require_GET
def program_template(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = get_program_for_coordinator(request.user, program_id)
    return _program_page(request, program)


def _usable_template(program: Program, slug: str | None) -> AgreementTemplate | None:
    template = AgreementTemplate.objects.filter(slug=slug).first()
    if template is None or not selectors.may_use(program, template):
        return None
    return template


@login_required
@require_POST
def choose(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = get_program_for_coordinator(request.user, program_id)
    form = ChooseForm(request.POST)
    template = _usable_template(program, form.data.get("template")) if form.is_valid() else None
    if template is None:
        messages.error(request, "Choose one of the templates listed.")
    else:
        try:
            event = services.choose_template(program=program, template=template, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if event is None:
                messages.info(request, f"{program.name} already uses {template.title}.")
            else:
                number = event.details.get("version_number")
                version = f" (version {number})" if number else ""
                messages.success(
                    request,
                    f"New agreements in {program.name} will be drafted from {template.title}"
                    f"{version}. Agreements already drafted keep theirs.",
                )
    if request.htmx:
        return _program_page(request, program)
    return redirect("agreement_templates:program", program_id=program.public_id)


@login_required
@require_POST
def clone(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = get_program_for_coordinator(request.user, program_id)
    form = CloneForm(request.POST, templates=selectors.templates_for_program(program))
    if form.is_valid():
        source = _usable_template(program, form.cleaned_data["template"])
        if source is None:
            form.add_error("template", "Choose one of the templates listed.")
        else:
            try:
                copy = services.clone_template(
                    template=source,
                    slug=form.cleaned_data["slug"],
                    title=form.cleaned_data["title"],
                    user=request.user,
                    program=program,
                )
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    f"{copy.title} is {program.name}'s own copy of {source.title}. Edit it here; "
                    "choose it on the program's template page when it is ready.",
                )
                return redirect("agreement_templates:build", slug=copy.slug)
    return _program_page(request, program, clone_form=form)


@login_required
@require_POST
def new(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = get_program_for_coordinator(request.user, program_id)
    form = NewTemplateForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            template = services.start_template(
                slug=form.cleaned_data["slug"],
                title=form.cleaned_data["title"],
                user=request.user,
                program=program,
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(
                request,
                f"{template.title} is {program.name}'s new template, with one section. Build "
                "it here; choose it on the program's template page when it is ready.",
            )
            return redirect("agreement_templates:build", slug=template.slug)
    return _program_page(request, program, new_form=form)


# --- The editor --------------------------------------------------------------------------------

_LINE_RE = re.compile(r"\A[^:\n]*:(\d+): ")


def describe_errors(errors: Iterable[str], source: str) -> list[dict]:
    """Each error with its line number and that line's text, for links into the editor."""
    lines = source.splitlines()
    out = []
    for message in errors:
        match = _LINE_RE.match(message)
        line = int(match.group(1)) if match else None
        out.append(
            {
                "message": message[match.end() :] if match else message.split(": ", 1)[-1],
                "line": line,
                "text": lines[line - 1] if line and line <= len(lines) else "",
            }
        )
    return out


def _preview(source: str, filename: str) -> dict:
    try:
        template = load_template(source, filename=filename)
    except TemplateError as error:
        return {"preview_errors": describe_errors(error.errors, source)}
    return {"preview_form": rendering.build_form(template, {}, {}, party=None, disabled=True)}


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    template = selectors.get_template_for_editor(request.user, slug)
    latest = template.latest_version()
    filename = f"{template.slug}.yaml"
    errors: list[dict] = []
    if request.method == "POST":
        form = TemplateSourceForm(request.POST)
        action = request.POST.get("action", "save")
        if not form.is_valid():
            errors = [
                {"message": m, "line": None, "text": ""} for m in form.errors.get("source", [])
            ]
            source = request.POST.get("source", "")
        elif action == "preview":
            source = form.cleaned_data["source"]
        else:
            source = form.cleaned_data["source"]
            result = services.save_template_source(
                template=template,
                source=source,
                user=request.user,
                based_on=form.cleaned_data["based_on"],
                filename=filename,
            )
            saved = result.version  # the latest version after a save that went through
            if result.ok and saved is not None:
                if result.created:
                    messages.success(request, f"Saved as version {saved.number}.")
                else:
                    messages.info(
                        request, f"Nothing changed: this is still version {saved.number}."
                    )
                return redirect("agreement_templates:edit", slug=template.slug)
            errors = describe_errors(result.errors, source.replace("\r\n", "\n"))
        source = source.replace("\r\n", "\n")
    else:
        source = latest.source if latest else ""
        form = TemplateSourceForm(initial={"source": source, "based_on": latest and latest.number})
    context = {
        "template": template,
        "latest": latest,
        "form": form,
        "source": source,
        "errors": errors,
        "page_has_errors": bool(errors),
        "based_on": request.POST.get("based_on") or (latest and latest.number),
        **_preview(source, filename),
    }
    page = "agreement_templates/edit.html"
    previewing = request.POST.get("action") == "preview"
    if request.htmx and previewing:
        page += "#preview"  # htmx swaps only a 2xx answer: a preview always is one
    return render(request, page, context, status=400 if errors and not previewing else 200)


# --- The form editor ----------------------------------------------------------------------------


def _party(request: AuthenticatedHttpRequest) -> str:
    party = request.POST.get("as") or request.GET.get("as", "")
    return party if party in PREVIEW_PARTIES else "mentee"


def _based_on(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_http_methods(["GET", "POST"])
def build(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The form editor (builder.py): the template's YAML edited part by part, saved through
    the YAML editor's own service, so both editors make the same versions."""
    template = selectors.get_template_for_editor(request.user, slug)
    latest = template.latest_version()
    filename = f"{template.slug}.yaml"
    party = _party(request)
    if request.method == "POST":
        draft = request.POST.get("draft", "").replace("\r\n", "\n")
        based_on = _based_on(request.POST.get("based_on"))
    else:
        draft = latest.source if latest else ""
        based_on = latest.number if latest else None
    action = request.POST.get("action", "")
    done = None
    try:
        data = builder.read(draft)
        if request.method == "POST":
            builder.apply_values(data, request.POST)
            if op := request.POST.get("op"):
                done = builder.act(data, op, request.POST)
            draft = builder.write(data)
        outline = builder.outline(data)
    except builder.DraftError as error:
        outline, unreadable = None, str(error)
    else:
        unreadable = ""
    saved_errors: list[str] = []
    if outline is not None and action == "save":
        result = services.save_template_source(
            template=template,
            source=draft,
            user=request.user,
            based_on=based_on,
            filename=filename,
        )
        saved = result.version
        if result.ok and saved is not None:
            if result.created:
                messages.success(request, f"Saved as version {saved.number}.")
            else:
                messages.info(request, f"Nothing changed: this is still version {saved.number}.")
            return redirect("agreement_templates:build", slug=template.slug)
        saved_errors = list(result.errors)
    problems: list[str] = []
    preview_form = None
    try:
        loaded = load_template(draft, filename=filename)
    except TemplateError as error:
        problems = error.errors
    else:
        preview_form = rendering.build_form(loaded, {}, {}, party=party, disabled=True)
    if outline is not None:
        # A refused save's reasons, or else what the format says about the draft as it is.
        builder.place_errors(outline, saved_errors or problems, filename)
    context = {
        "template": template,
        "latest": latest,
        "draft": draft,
        "based_on": based_on or "",
        "outline": outline,
        "unreadable": unreadable,
        "done": done,
        "focus": done.focus if done else "",
        "not_saved": bool(saved_errors) or (action == "save" and outline is None),
        "page_has_errors": bool(saved_errors),
        "summary": [SummaryError(m, href, where) for where, m, href in outline.summary]
        if outline
        else [],
        "preview_form": preview_form,
        "preview_problems": (
            [f"{where}: {m}" if where else m for where, m, _ in outline.summary]
            if outline
            else problems
        ),
        "party": party,
        "party_label": PREVIEW_PARTIES[party],
        "parties": PREVIEW_PARTIES,
        "block_types": builder.BLOCK_TYPES,
        "kinds": FIELD_KINDS,
    }
    page = "agreement_templates/build.html"
    if request.htmx and request.htmx.target == "builder-preview":
        page += "#preview"
    return render(request, page, context, status=400 if saved_errors else 200)


# --- The format's reference ----------------------------------------------------------------------


@login_required
@require_GET
def reference(request: AuthenticatedHttpRequest) -> HttpResponse:
    """docs/templates.md, the format's reference, as a page of the product."""
    return render(
        request, "agreement_templates/reference.html", {"reference": reference_doc.page()}
    )


# --- Preview and print -------------------------------------------------------------------------


@login_required
@require_GET
def preview(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    template = selectors.get_template_for_coordinator(request.user, slug)
    version = selectors.get_version(template, request.GET.get("version"))
    party = request.GET.get("as", "")
    if party not in PREVIEW_PARTIES:
        party = "mentee"
    form = rendering.build_form(version.as_template(), {}, {}, party=party, disabled=True)
    return render(
        request,
        "agreement_templates/preview.html",
        {
            "template": template,
            "version": version,
            "versions": selectors.template_versions(template),
            "form": form,
            "party": party,
            "party_label": PREVIEW_PARTIES[party],
            "back_program": selectors.back_program(request.user, template),
            "parties": PREVIEW_PARTIES,
        },
    )


@login_required
@require_GET
def print_layout(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    template = selectors.get_template_for_coordinator(request.user, slug)
    version = selectors.get_version(template, request.GET.get("version"))
    return render(
        request,
        "agreement_templates/print.html",
        {
            "template": template,
            "version": version,
            "doc": rendering.build_print(version.as_template()),
            "back_program": selectors.back_program(request.user, template),
        },
    )


@login_required
@require_GET
def print_pdf(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    template = selectors.get_template_for_coordinator(request.user, slug)
    version = selectors.get_version(template, request.GET.get("version"))
    data = rendering.print_pdf(rendering.build_print(version.as_template()))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{template.slug}-v{version.number}.pdf"'
    return response
