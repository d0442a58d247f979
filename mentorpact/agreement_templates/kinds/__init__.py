"""Field kinds: one module per kind, each a `Kind` registered with `@register`.

A kind declares, in its own file:

- `name` and `position` (where it is listed among the kinds, in messages and docs);
- `Attributes`: its pydantic model (a `shape.FieldBase` subclass), i.e. which attributes a
  field of this kind has in a template and how each is checked;
- `clean(field, value, add, template, party)`: a submitted value, cleaned (values.py);
- `is_filled` and `missing`: whether a value counts as filled in before signing, and what to
  say when it does not;
- `text(field, value)`: the value as plain text (history, messages, the PDF's audit trail);
- `form`, `read_post`, `print` and `form_template` / `print_template`: how it is drawn in the
  form (templates/agreement_templates/kinds/<kind>_form.html), how its POST reads back, and
  how it is laid out on paper (<kind>_print.html); rendering.py only dispatches to them;
- `plan_goals`, `plan_commitments`, `chosen_options`, `bounds`, `carried_over`, `merge`: what
  its value means to the action plan, the meetings, the limits and the signers.

Shapes several kinds share are base classes in shared.py (options, a dict of entries, items,
rows of cells).

Every module in this package is imported here, so a new kind is one new file (plus its tests).
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import KINDS, Kind, kind_of, register, unregister

__all__ = ["KINDS", "Kind", "kind_of", "register", "unregister"]

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")
