"""Reads for agreement templates, and who may see and edit them.

- Shared templates (built-ins, and templates imported on the command line) may be seen by any
  program's coordinator, and edited by nobody in the pages (clone to change).
- A program's own template (a clone) may be seen and edited by that program's coordinators.
Partners (mentors and mentees) see their form through their agreement, not here: 403.
Anyone else: 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from mentorpact.audit.models import Event
from mentorpact.programs.models import Enrolment, Program

from .models import AgreementTemplate, ProgramTemplate, TemplateVersion


def chosen_template(program: Program) -> AgreementTemplate | None:
    """The template `program` drafts its new agreements from, or None. One query, remembered
    on the program object (as a foreign key on the program would be) so a page that asks
    again costs nothing."""
    # Django's cache for the reverse one-to-one (program.template_choice), which also keeps
    # "none": assigning None to the attribute would clear it instead.
    cache = Program.template_choice.related
    if not cache.is_cached(program):
        row = ProgramTemplate.objects.select_related("template").filter(program=program).first()
        cache.set_cached_value(program, row)
    choice = cache.get_cached_value(program)
    return choice.template if isinstance(choice, ProgramTemplate) else None


def may_use(program: Program, template: AgreementTemplate) -> bool:
    """A program may use a shared template (a built-in or an imported one) or one of its own."""
    return template.owner_program_id in (None, program.pk)


def chosen_version(program: Program) -> TemplateVersion | None:
    """The latest version of the program's chosen template: what a new agreement is drafted
    from. None when the program has no template yet."""
    template = chosen_template(program)
    return template.latest_version() if template is not None else None


def _roles_by_program(user) -> dict[int, set[str]]:
    roles: dict[int, set[str]] = {}
    if user.is_authenticated:
        for program_id, role in Enrolment.objects.filter(user=user).values_list(
            "program_id", "role"
        ):
            roles.setdefault(program_id, set()).add(role)
    return roles


def get_template_for_coordinator(user, slug: str) -> AgreementTemplate:
    """A template this person may preview: a shared one if they coordinate any program; their
    program's own. 403 for partners, 404 for anyone else (and for other programs' templates)."""
    roles = _roles_by_program(user)
    if not roles:
        raise Http404
    template = AgreementTemplate.objects.select_related("owner_program").filter(slug=slug).first()
    if template is None:
        raise Http404
    if template.owner_program_id is None:
        relevant = set().union(*roles.values())
    elif template.owner_program_id in roles:
        relevant = roles[template.owner_program_id]
    else:
        raise Http404
    if Enrolment.Role.COORDINATOR not in relevant:
        raise PermissionDenied("Only coordinators can see agreement templates here.")
    return template


def get_template_for_editor(user, slug: str) -> AgreementTemplate:
    """A template this person may edit: their program's own. Shared templates are read-only
    (403, "clone it")."""
    template = get_template_for_coordinator(user, slug)
    if template.owner_program_id is None:
        raise PermissionDenied(
            "This template is shared by every program and is read-only: clone it for your "
            "program to change it."
        )
    return template


def get_version(template: AgreementTemplate, number: int | str | None) -> TemplateVersion:
    """The numbered version (the latest when None); 404 when there is no such version."""
    versions = template.versions.all()
    if number not in (None, ""):
        try:
            versions = versions.filter(number=int(number))
        except (TypeError, ValueError):
            raise Http404 from None
    version = versions.order_by("-number").first()
    if version is None:
        raise Http404
    return version


def templates_for_program(program: Program) -> QuerySet[AgreementTemplate]:
    """The templates a program may choose: shared ones (built-ins first) and its own, each with
    `latest_number`."""
    return (
        AgreementTemplate.objects.filter(Q(owner_program=None) | Q(owner_program=program))
        .annotate(latest_number=Max("versions__number"))
        .filter(latest_number__isnull=False)
        .order_by("-is_builtin", "owner_program_id", "title", "slug")
    )


def program_template_events(program: Program) -> QuerySet[Event]:
    """The program's template history: choices and clones, newest first, each with its
    template's title and slug (one query; index audit_program_history)."""
    template = AgreementTemplate.objects.filter(pk=OuterRef("object_id"))
    return (
        Event.objects.filter(program_id=program.pk, object_type="agreementtemplate")
        .select_related("actor")
        .annotate(
            template_title=Subquery(template.values("title")),
            template_slug=Subquery(template.values("slug")),
        )
        .order_by("-at", "-id")[:20]
    )


def template_versions(template: AgreementTemplate) -> QuerySet[TemplateVersion]:
    return (
        template.versions.select_related("created_by")
        .defer("source", "definition")
        .order_by("-number")
    )


def back_program(user, template: AgreementTemplate) -> Program | None:
    """The program whose template page a preview leads back to: the template's owner, else a
    program this person coordinates that uses it, else their first program."""
    if template.owner_program_id is not None:
        return template.owner_program
    coordinated = Program.objects.filter(
        enrolments__user=user, enrolments__role=Enrolment.Role.COORDINATOR
    ).order_by("name")
    return coordinated.filter(template_choice__template=template).first() or coordinated.first()
