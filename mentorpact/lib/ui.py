"""Template tags every page uses, registered as a builtin (settings.TEMPLATES "builtins"), so
no template has to `{% load %}` them:

- `{% error_summary form [other_form ...] %}`: the one error pattern (GOV.UK Design System's
  error summary): "There is a problem", then each error as a link to its field. It is the
  page's only live region for errors (role="alert"), focusable (tabindex="-1") so
  static/js/forms.js can move focus to it after a reload or an htmx swap. Put it at the top of
  the form; each field's own message is drawn by includes/field.html, above its input.
- `{% error_title_prefix %}` (in base.html's <title>): "Error: " while any bound form in the
  page's context has errors (or the context sets `page_has_errors`), so the title a screen
  reader reads first says the submit failed.
- `{{ moment|local_time:user }}`: a stored UTC moment in the viewer's zone, the zone named.
"""

from dataclasses import dataclass

from django import template
from django.forms import BaseForm

from mentorpact.lib.dates import in_zone, span_in_zone

register = template.Library()


@dataclass(frozen=True)
class SummaryError:
    message: str
    href: str = ""  # "#<the field's input id>"; empty for an error about the whole form
    label: str = ""

    @property
    def lead(self) -> str:
        """The field's label before its message: "Ends at:", but "What are you asking
        for?" as written (no colon after a label's own punctuation)."""
        label = self.label.strip()
        return label if label.endswith(("?", ":", ".", "!")) else f"{label}:"


def field_anchor(bound_field) -> str:
    """The id of the input a summary link should land on: the field's own, or for radio
    buttons and checkboxes (no single id_for_label) the first option's."""
    if bound_field.is_hidden:
        return ""
    anchor = bound_field.id_for_label
    if not anchor and bound_field.auto_id:
        anchor = f"{bound_field.auto_id}_0"
    return f"#{anchor}" if anchor else ""


def summary_errors(forms) -> list[SummaryError]:
    errors: list[SummaryError] = []
    for form in forms:
        if not isinstance(form, BaseForm) or not form.is_bound:
            continue
        errors += [SummaryError(str(message)) for message in form.non_field_errors()]
        for bound_field in form:
            for message in bound_field.errors:
                if bound_field.is_hidden:
                    errors.append(SummaryError(str(message)))
                else:
                    errors.append(
                        SummaryError(
                            str(message), field_anchor(bound_field), str(bound_field.label)
                        )
                    )
    return errors


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms) -> dict:
    return {"errors": summary_errors(forms)}


def context_has_errors(context: template.Context) -> bool:
    flat = context.flatten()
    if flat.get("page_has_errors"):
        return True
    return any(_has_errors(value) for value in flat.values())


def _has_errors(value) -> bool:
    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    # A form that is not a Django form (the agreement form drawn from a template,
    # agreement_templates.rendering.FormView) says so with a `has_errors` property.
    return getattr(value, "has_errors", None) is True


@register.simple_tag(takes_context=True)
def error_title_prefix(context: template.Context) -> str:
    return "Error: " if context_has_errors(context) else ""


@register.filter
def local_time(moment, user) -> str:
    """A stored UTC moment in this person's time zone, with the zone's name."""
    return in_zone(moment, getattr(user, "time_zone", None))


@register.filter
def local_span(event, user) -> str:
    """An event's start and end (anything with `starts_at` and `ends_at`) in this person's
    time zone: one date when both fall on the same day."""
    return span_in_zone(event.starts_at, event.ends_at, getattr(user, "time_zone", None))
