"""Writes for agreement templates: importing, versioning, cloning and choosing them.

A version is never changed once written: a changed source becomes version N+1, and agreements
keep pointing at the version they were drafted from. The same source saved twice is one version.

Built-in templates (the files in builtin/) change only with Mentorpact's shipped files:
`ensure_builtin_templates` (run after every `migrate`) adds a version when a file changed, and
any other attempt to change a built-in is refused with "clone it". Importing a built-in's exact
text is not a change, so `template export` then `template import` of a built-in succeeds.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from mentorpact.audit import services as audit
from mentorpact.audit.models import Event
from mentorpact.programs import signals as program_signals
from mentorpact.programs.models import Program

from . import yamltext
from .models import (
    AgreementTemplate,
    ProgramTemplate,
    TemplateAction,
    TemplateVersion,
)
from .schema import Template, TemplateError, builtin_templates, load_template
from .selectors import chosen_template, may_use

logger = logging.getLogger(__name__)

_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_SLUG_LENGTH = 60  # the format's limit (schema.py); the column allows 80
MAX_TITLE_LENGTH = 200  # AgreementTemplate.title


def sha256(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _event(template, action, *, version=None, program=None, actor=None, **details) -> Event:
    if version is not None:
        details.update(version_id=version.pk, version_number=version.number)
    return audit.record(
        action,
        on=template,
        actor=actor,
        program_id=program.pk if program is not None else None,
        **details,
    )


def _add_version(
    template: AgreementTemplate, loaded: Template, source: str, created_by
) -> TemplateVersion:
    """Version N+1 of `template`. Two saves racing for the same number meet the unique
    (template, number) index: the loser's savepoint rolls back and it is told to reload."""
    latest = template.latest_version()
    version = TemplateVersion(
        template=template,
        number=(latest.number + 1) if latest else 1,
        source=source,
        definition=loaded.to_dict(),
        source_sha256=sha256(source),
        created_by=created_by,
    )
    # The unique (template, number) index is left to the database: see the except below.
    version.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as exc:
        raise TemplateError(
            [
                f"{template.slug}: someone else saved version {version.number} at the same "
                "moment; reload the template and make your change again"
            ]
        ) from exc
    if template.title != loaded.title[:MAX_TITLE_LENGTH]:
        template.title = loaded.title[:MAX_TITLE_LENGTH]
        template.save(update_fields=["title"])
    kind = TemplateAction.CREATED if version.number == 1 else TemplateAction.VERSIONED
    _event(template, kind, version=version, actor=created_by)
    return version


def _load(source: str, filename: str) -> Template:
    if not isinstance(source, str):
        raise TemplateError([f"{filename}: a template is text"])
    return load_template(source, filename=filename)


def _refuse_builtin(slug: str, filename: str) -> None:
    raise TemplateError(
        [
            f'{filename}: "{slug}" is a built-in template; it changes only with Mentorpact\'s '
            "own files. Clone it under a new slug to change it"
        ]
    )


@transaction.atomic
def import_template(*, source: str, filename: str, created_by=None) -> TemplateVersion:
    """Validate `source` and store it under its slug: a new slug makes a new template (v1); a
    changed source makes the next version; the latest version's exact text changes nothing and
    returns that version. Raises TemplateError, with nothing written, when the source does not
    validate or would change a built-in.

    Templates imported here belong to no program: any program may use them, and they are
    read-only in the pages (clone to change), like the built-ins.
    """
    loaded = _load(source, filename)
    template = AgreementTemplate.objects.filter(slug=loaded.slug).first()
    if template is None:
        if loaded.slug in builtin_templates():
            _refuse_builtin(loaded.slug, filename)
        template = AgreementTemplate(slug=loaded.slug, title=loaded.title[:MAX_TITLE_LENGTH])
        template.full_clean()
        template.save()
        return _add_version(template, loaded, source, created_by)
    latest = template.latest_version()
    if latest is not None and latest.source_sha256 == sha256(source):
        return latest
    if template.is_builtin:
        _refuse_builtin(template.slug, filename)
    return _add_version(template, loaded, source, created_by)


@dataclass
class BuiltinReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@transaction.atomic
def ensure_builtin_templates() -> BuiltinReport:
    """Make the database's built-in templates match the shipped files: a file not yet imported
    becomes a template (v1), a changed file becomes its next version, and an unchanged one
    changes nothing (so running it twice is the same as once). Run after every `migrate`."""
    report = BuiltinReport()
    existing = {t.slug: t for t in AgreementTemplate.objects.filter(slug__in=builtin_templates())}
    for slug, source in builtin_templates().items():
        filename = f"builtin/{slug}.yaml"
        loaded = load_template(source, filename=filename)  # the built-in tests keep these valid
        if loaded.slug != slug:
            raise TemplateError([f"{filename}: slug is {loaded.slug!r}; it must be the file name"])
        template = existing.get(slug)
        if template is None:
            template = AgreementTemplate(slug=slug, title=loaded.title, is_builtin=True)
            template.full_clean()
            template.save()
            _add_version(template, loaded, source, None)
            report.created.append(slug)
        elif not template.is_builtin:
            # Only possible through the admin: a built-in's slug is refused everywhere else.
            logger.warning("Built-in template %s skipped: a non-built-in has its slug", slug)
            report.skipped.append(slug)
        elif (latest := template.latest_version()) is None or latest.source_sha256 != sha256(
            source
        ):
            _add_version(template, loaded, source, None)
            report.updated.append(slug)
    return report


# --- Cloning and editing ----------------------------------------------------------------------


def with_slug_and_title(source: str, *, slug: str, title: str) -> str:
    """The source of a clone: the same text, comments and all, under a new slug and title
    (edited through ruamel.yaml's round trip, so nothing else moves)."""
    load_template(source)  # only a valid template is cloned
    # The title double-quoted, so no title (one with ": " or a "yes") can read as anything else.
    return yamltext.set_top_level(source, {"slug": slug, "title": DoubleQuotedScalarString(title)})


def _clean_slug_and_title(slug: str, title: str) -> tuple[str, str]:
    slug, title = (slug or "").strip(), (title or "").strip()
    errors: dict[str, list[str]] = {}
    if not slug:
        errors["slug"] = ["Enter a short name for the new template, like rsp-2027."]
    elif len(slug) > MAX_SLUG_LENGTH or not _SLUG_RE.match(slug):
        errors["slug"] = [
            f"Use lowercase letters, digits and single hyphens (at most {MAX_SLUG_LENGTH}), "
            "like rsp-2027."
        ]
    elif slug in builtin_templates() or AgreementTemplate.objects.filter(slug=slug).exists():
        errors["slug"] = [f"{slug} is taken: choose another name."]
    if not title:
        errors["title"] = ["Enter the form's title."]
    elif len(title) > MAX_TITLE_LENGTH:
        errors["title"] = [f"Enter at most {MAX_TITLE_LENGTH} characters."]
    if errors:
        raise ValidationError(errors)
    return slug, title


@transaction.atomic
def clone_template(
    *, template: AgreementTemplate, slug: str, title: str, user, program: Program
) -> AgreementTemplate:
    """A copy of the template's latest version, owned by `program` (whose coordinators may
    edit it), under a new slug and title. Raises ValidationError per field (slug, title)."""
    slug, title = _clean_slug_and_title(slug, title)
    latest = template.latest_version()
    if latest is None:
        raise ValidationError(f"{template.slug} has no version to clone.")
    source = with_slug_and_title(latest.source, slug=slug, title=title)
    loaded = load_template(source, filename=f"{slug}.yaml")
    clone = AgreementTemplate(slug=slug, title=title, owner_program=program)
    clone.full_clean()
    try:
        with transaction.atomic():
            clone.save()
    except IntegrityError as exc:  # the same slug taken a moment ago
        raise ValidationError({"slug": [f"{slug} is taken: choose another name."]}) from exc
    version = _add_version(clone, loaded, source, user)
    _event(
        clone,
        TemplateAction.CLONED,
        version=version,
        program=program,
        actor=user,
        source=template.slug,
        source_version=latest.number,
    )
    return clone


# A new template's first version: the least the format accepts, for the form editor to grow.
STARTER_SOURCE = """\
format: 1
slug: new-template
title: "New template"
signers: [mentor, mentee]
rules:
  distribution: pair
sections:
  - key: section_1
    heading: First section
    blocks:
      - text: Say what this section is for.
"""


@transaction.atomic
def start_template(*, slug: str, title: str, user, program: Program) -> AgreementTemplate:
    """A new template owned by `program`, its version 1 the starter (one section, one
    paragraph) under `slug` and `title`. Raises ValidationError per field (slug, title)."""
    slug, title = _clean_slug_and_title(slug, title)
    source = with_slug_and_title(STARTER_SOURCE, slug=slug, title=title)
    loaded = load_template(source, filename=f"{slug}.yaml")
    template = AgreementTemplate(slug=slug, title=title, owner_program=program)
    template.full_clean()
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as exc:  # the same slug taken a moment ago
        raise ValidationError({"slug": [f"{slug} is taken: choose another name."]}) from exc
    _add_version(template, loaded, source, user)
    return template


@dataclass(frozen=True)
class SaveResult:
    """What a save did: `version` is the latest version after it (a new one when `created`);
    `errors` lists every problem when nothing was saved."""

    version: TemplateVersion | None
    created: bool = False
    errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


@transaction.atomic
def save_template_source(
    *,
    template: AgreementTemplate,
    source: str,
    user,
    based_on: int | None = None,
    filename: str | None = None,
) -> SaveResult:
    """Save an edited source as the template's next version. Nothing is written when the source
    does not validate, changes the slug, was edited from an older version than the latest
    (`based_on`: the version number the editor showed), or the template is a built-in or a
    shared one; the errors say why. The latest version's exact text saves nothing."""
    filename = filename or f"{template.slug}.yaml"
    latest = template.latest_version()
    if not template.owner_program_id:
        return SaveResult(
            latest,
            errors=(
                f"{template.slug} is shared by every program and cannot be edited here: "
                "clone it for your program and edit the clone.",
            ),
        )
    source = (source or "").replace("\r\n", "\n")  # browsers send a textarea's lines as CRLF
    if latest is not None and based_on is not None and latest.number != based_on:
        return SaveResult(
            latest,
            errors=(
                f"Version {latest.number} was saved after the version {based_on} you were "
                "editing, so your text was not saved. Copy your changes, reload, and apply them "
                "to the latest version.",
            ),
        )
    try:
        loaded = _load(source, filename)
    except TemplateError as error:
        return SaveResult(latest, errors=tuple(error.errors))
    if loaded.slug != template.slug:
        return SaveResult(
            latest,
            errors=(
                f"{filename}: slug: keep `slug: {template.slug}`; the slug names this template "
                "(clone it to make a template under another name)",
            ),
        )
    if latest is not None and latest.source_sha256 == sha256(source):
        return SaveResult(latest)
    try:
        version = _add_version(template, loaded, source, user)
    except TemplateError as error:
        return SaveResult(template.latest_version(), errors=tuple(error.errors))
    return SaveResult(version, created=True)


# --- Choosing a program's template --------------------------------------------------------------


@transaction.atomic
def choose_template(*, program: Program, template: AgreementTemplate, user) -> Event | None:
    """New agreements of `program` are drafted from `template`'s latest version from now on;
    agreements already drafted keep their version. Returns the event, or None when the program
    already uses this template."""
    if not may_use(program, template):
        raise ValidationError({"template": ["That template belongs to another program."]})
    if template.latest_version() is None:
        raise ValidationError({"template": [f"{template.slug} has no version yet."]})
    previous = chosen_template(program)
    if previous is not None and previous.pk == template.pk:
        return None
    # The program's own row is not touched, whatever else someone is editing on it.
    program.template_choice, _ = ProgramTemplate.objects.update_or_create(
        program=program, defaults={"template": template}
    )
    program_signals.terms_changed.send(sender=Program, program=program)
    return _event(
        template,
        TemplateAction.CHOSEN,
        version=template.latest_version(),
        program=program,
        actor=user,
        previous=previous.slug if previous else None,
    )
