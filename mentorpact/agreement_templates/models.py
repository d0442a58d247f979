from django.conf import settings
from django.db import models


class AgreementTemplate(models.Model):
    """A program's agreement form, as a series of versions. Built-ins ship with Mentorpact."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    is_builtin = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def latest_version(self) -> "TemplateVersion | None":
        return self.versions.order_by("-number").first()


class TemplateVersion(models.Model):
    """One immutable version of a template. Agreements point at the version they were drafted
    from, so editing a template never changes an existing agreement."""

    template = models.ForeignKey(
        AgreementTemplate, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    source = models.TextField(help_text="The template as written (YAML).")
    # The validated template as plain data (schema.Template.to_dict()), read when rendering.
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
