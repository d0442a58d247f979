"""Agreement templates in the database: a template is a series of immutable versions.

Built-in templates (`is_builtin`) come from the files in `builtin/` and change only when those
files change. A coordinator changes a form by cloning a template for their program
(`owner_program`): only that program's coordinators may edit the clone, and each edit that
changes the text becomes a new version. Agreements point at the version they were drafted
from, so an edit never changes an agreement already drafted.
"""

import json
from functools import lru_cache

from django.conf import settings
from django.db import models

from .schema import Template


class AgreementTemplate(models.Model):
    """A program's agreement form, as a series of versions. Built-ins ship with Mentorpact."""

    # The template's public name (in URLs and on the command line); the same as its YAML's slug.
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    is_builtin = models.BooleanField(default=False)
    # The program whose coordinators may edit this template (a clone). Built-ins and templates
    # imported on the command line have none: they are read-only in the pages and any program
    # may use them. PROTECT: a program's own forms are never deleted behind its back.
    owner_program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_templates",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_builtin=False) | models.Q(owner_program__isnull=True),
                name="template_builtin_has_no_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def latest_version(self) -> "TemplateVersion | None":
        return self.versions.order_by("-number").first()

    @property
    def is_shared(self) -> bool:
        """Any program may use it (a built-in or an imported template); nobody edits it here."""
        return self.owner_program_id is None


@lru_cache(maxsize=256)
def _template_from_definition(definition_json: str) -> Template:
    return Template.from_dict(json.loads(definition_json))


class TemplateVersion(models.Model):
    """One immutable version of a template. Agreements point at the version they were drafted
    from, so editing a template never changes an existing agreement."""

    template = models.ForeignKey(
        AgreementTemplate, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    source = models.TextField(help_text="The template as written (YAML).")
    # The validated template as plain data (schema.Template.to_dict()), read when rendering.
    # It holds every default filled in at load time, so a later change to the format's
    # defaults never changes how an existing version renders.
    definition = models.JSONField()
    source_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="template_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template.slug} v{self.number}"

    def as_template(self) -> Template:
        """The validated template of this version (cached by its definition)."""
        return _template_from_definition(json.dumps(self.definition, sort_keys=True))


class ProgramTemplate(models.Model):
    """The template a program drafts its new agreements from (at most one per program).

    It lives here, not as a column of `programs.Program`, so that the foreign keys between the
    two apps point one way (templates know programs; programs know no templates). Read it with
    `selectors.chosen_template(program)`, change it with `services.choose_template`."""

    program = models.OneToOneField(
        "programs.Program",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="template_choice",
    )
    # PROTECT: a template in use by a program is never deleted behind its back.
    template = models.ForeignKey(
        AgreementTemplate, on_delete=models.PROTECT, related_name="program_choices"
    )
    chosen_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.program_id}: {self.template.slug}"


class TemplateAction(models.TextChoices):
    """What the audit trail (audit.Event.action) records about a template; the event's details
    carry the version's id and number, and what it was cloned from or chosen instead of."""

    CREATED = "template.created", "Template created"
    VERSIONED = "template.versioned", "New version saved"
    CLONED = "template.cloned", "Cloned from another template"
    CHOSEN = "template.chosen", "Chosen for a program"
