# The template format says what it used to guess (docs/templates.md "What the form says it is
# for"). Before, the action plan was made from every `list` and `goals` field, from a
# `textarea` whose key was `goal` or ended in `_goal`/`_goals`, and from a `table` whose label
# spoke of committing; the meetings pages read who arranges meetings from a field keyed
# `organiser` and the pair's contingency plan from `contingency_plan` or `cancellation`.
# Now a field says `plan: goal` or `plan: commitment`, and the rules name `organiser_field`
# and `contingency_field`. This migration writes those attributes into every stored template
# version where the old conventions applied, in its YAML source (comments and layout kept,
# through ruamel's round trip) and in its parsed definition, so every agreement reads its
# template as it did before. Feedback questions are not copied: a form that asks none now gets
# none (before, the university pilot's four were every program's default).

import hashlib
import io
import re

from django.db import migrations
from ruamel.yaml import YAML

GOAL_KEY = re.compile(r"(\A|_)goals?\Z")
ORGANISER_KEYS = ("organiser",)
CONTINGENCY_KEYS = ("contingency_plan", "cancellation")


def _fields(data):
    for section in data.get("sections") or []:
        if not isinstance(section, dict):
            continue
        for block in section.get("blocks") or []:
            if isinstance(block, dict) and "kind" in block:
                yield block


def _old_plan(block):
    kind, party = block.get("kind"), block.get("party") or "shared"
    if kind == "table":
        return "commitment" if "commit" in str(block.get("label", "")).lower() else None
    if party == "mentor":
        return None  # a mentor-only field's goals were left out of the mentee's plan
    if kind in ("list", "goals"):
        return "goal"
    if kind == "textarea" and GOAL_KEY.search(str(block.get("key", ""))):
        return "goal"
    return None


def _set(mapping, key, value, *, after=None):
    """Set `key` in `mapping` (a dict or ruamel's CommentedMap), placed after `after`."""
    if key in mapping:
        return False
    if after is not None and hasattr(mapping, "insert") and after in mapping:
        mapping.insert(list(mapping).index(after) + 1, key, value)
    else:
        mapping[key] = value
    return True


def make_explicit(data):
    """Write the old conventions into one template's data, in place; True when it changed."""
    if not isinstance(data, dict):
        return False
    changed = False
    kinds = {}
    for block in _fields(data):
        kinds[block.get("key")] = block.get("kind")
        plan = _old_plan(block)
        if plan is not None:
            changed |= _set(block, "plan", plan, after="kind")
    rules = data.get("rules")
    if not isinstance(rules, dict):
        return changed
    organiser = next((k for k in ORGANISER_KEYS if kinds.get(k) == "choice"), None)
    if organiser is not None:
        changed |= _set(rules, "organiser_field", organiser)
    contingency = next(
        (k for k in CONTINGENCY_KEYS if kinds.get(k) in ("textarea", "text")), None
    )
    if contingency is not None:
        changed |= _set(rules, "contingency_field", contingency)
    return changed


def _yaml():
    yaml = YAML(typ="rt", pure=True)
    yaml.version = (1, 1)
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    return yaml


def explicit_source(source):
    """The YAML source with the conventions written in, or None when nothing changes."""
    yaml = _yaml()
    data = yaml.load(source)
    if not make_explicit(data):
        return None
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue().removeprefix("%YAML 1.1\n---\n")


def forwards(apps, schema_editor):
    TemplateVersion = apps.get_model("agreement_templates", "TemplateVersion")
    for version in TemplateVersion.objects.iterator():
        definition = version.definition
        changed = make_explicit(definition)
        try:
            source = explicit_source(version.source)
        except Exception:  # noqa: BLE001 - a source ruamel cannot read keeps its text
            source = None
        fields = []
        if changed:
            version.definition = definition
            fields.append("definition")
        if source is not None:
            version.source = source
            version.source_sha256 = hashlib.sha256(source.encode()).hexdigest()
            fields += ["source", "source_sha256"]
        if fields:
            version.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [("agreement_templates", "0004_programtemplate")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
