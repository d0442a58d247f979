from collections.abc import Iterable
from typing import Any

from django import forms

from .models import AgreementTemplate
from .schema import MAX_TEMPLATE_CHARS
from .services import MAX_SLUG_LENGTH, MAX_TITLE_LENGTH


class TemplateSourceForm(forms.Form):
    """The template editor: the YAML source, and the version it was edited from."""

    source = forms.CharField(
        label="Template (YAML)",
        strip=False,
        max_length=MAX_TEMPLATE_CHARS,
        widget=forms.Textarea(
            attrs={"rows": 30, "spellcheck": "false", "autocapitalize": "off", "wrap": "off"}
        ),
        help_text="The format is described in the template format reference. Saving a change "
        "makes a new version; agreements already drafted keep the version they were drafted from.",
        error_messages={"required": "The template is empty: write or paste a template."},
    )
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class ChooseForm(forms.Form):
    template = forms.SlugField(max_length=80)


class CloneForm(forms.Form):
    template = forms.ChoiceField(label="Copy of")
    slug = forms.CharField(
        label="Short name of the copy",
        max_length=MAX_SLUG_LENGTH + 20,
        help_text="Lowercase letters, digits and hyphens, like rsp-2027. It names the template "
        "on the command line and in its address.",
        widget=forms.TextInput(attrs={"autocapitalize": "off", "spellcheck": "false"}),
    )
    title = forms.CharField(label="Title of the copy", max_length=MAX_TITLE_LENGTH + 50)

    def __init__(self, *args: Any, templates: Iterable[AgreementTemplate] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t.slug, f"{t.title} ({t.slug})") for t in templates]


class NewTemplateForm(forms.Form):
    """A new template of the program's own, begun with one section for the form editor."""

    slug = forms.CharField(
        label="Short name",
        max_length=MAX_SLUG_LENGTH + 20,
        help_text="Lowercase letters, digits and hyphens, like rsp-2027. It names the template "
        "on the command line and in its address.",
        widget=forms.TextInput(attrs={"autocapitalize": "off", "spellcheck": "false"}),
    )
    title = forms.CharField(label="Title of the form", max_length=MAX_TITLE_LENGTH + 50)
