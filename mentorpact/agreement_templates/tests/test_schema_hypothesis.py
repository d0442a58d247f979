"""Whatever text arrives, load_template returns a Template or raises TemplateError."""

import copy
import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorpact.agreement_templates import yamltext
from mentorpact.agreement_templates.schema import (
    Template,
    TemplateError,
    builtin_templates,
    load_template,
)

BUILTIN_DATA = {
    slug: yamltext.read(source, slug)[0] for slug, source in builtin_templates().items()
}

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(text: str) -> Template | TemplateError:
    try:
        template = load_template(text)
    except TemplateError as error:
        assert error.errors and all(isinstance(e, str) and e for e in error.errors)
        return error
    assert isinstance(template, Template)
    # Whatever loads survives the round trip through stored data.
    assert Template.from_dict(template.to_dict()) == template
    return template


@FAST
@given(st.text(max_size=300))
def test_any_text_gives_a_template_or_a_template_error(text):
    outcome(text)


yaml_ish = st.lists(
    st.sampled_from(
        [
            "format: 1\n",
            "format: 2\n",
            "slug: x\n",
            "title: T\n",
            "signers: [mentor, mentee]\n",
            "rules:\n",
            "  distribution: pair\n",
            "sections:\n",
            "  - key: a\n",
            "    blocks:\n",
            "      - text: hi\n",
            "      - key: k\n",
            "        kind: goals\n",
            "        label: L\n",
            "        min_items: -1\n",
            "        options: [{key: a, label: b}]\n",
            "&a x: *a\n",
            "? [a]\n: b\n",
            "x: !!binary aGk=\n",
            "x: !!float nan\n",
            "x: 1e999\n",
            "x: 0x" + "f" * 50 + "\n",
            "slug: 0x" + "f" * 5000 + "\n",
            "x: " + "9" * 5000 + "\n",
            "x: 2027-13-45\n",
            "x: 2027-02-23 10:00:00\n",
            "\t\n",
            "---\n",
            "- \n",
            "{\n",
            "'\n",
            "x: \x85\n",
            "x: \x00\n",
            "x: \ud800\n",
        ]
    ),
    max_size=20,
).map("".join)


@FAST
@given(yaml_ish)
def test_yaml_fragments_give_a_template_or_a_template_error(text):
    outcome(text)


# -- mutated built-ins: valid templates with one thing after another broken

odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(["", "mentor", "coordinator", "text", "goals", "program", "02-29", "x" * 600]),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)),
    st.lists(st.sampled_from(["mentor", "mentee", 1, None, "short"]), max_size=3),
    st.dictionaries(
        st.sampled_from(["key", "label", "kind", "date", "x"]), st.integers(), max_size=2
    ),
)


def paths(data, prefix=()):
    """Every (container path, key-or-index) inside data."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield prefix, key
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield prefix, index
            yield from paths(value, (*prefix, index))


def mutate(data, draw):
    every = list(paths(data))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        container_path, key = draw(st.sampled_from(every))
        container = data
        try:
            for step in container_path:
                container = container[step]
            container[key]  # the path may have been removed by an earlier mutation
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(container, dict | list):  # an earlier mutation put a scalar here
            continue
        action = draw(st.sampled_from(["delete", "replace", "rename", "duplicate"]))
        if action == "delete":
            del container[key]
        elif action == "replace":
            container[key] = draw(odd_values)
        elif action == "rename" and isinstance(container, dict):
            new_key = draw(st.sampled_from(["lable", "kind", "key", "other", "x", "heading"]))
            container[new_key] = container.pop(key)
        elif action == "duplicate" and isinstance(container, list):
            container.append(copy.deepcopy(container[key]))  # no YAML aliases
    return data


@FAST
@given(st.sampled_from(sorted(BUILTIN_DATA)), st.data())
def test_mutated_builtins_give_a_template_or_a_template_error(slug, data):
    mutated = mutate(copy.deepcopy(BUILTIN_DATA[slug]), data.draw)
    text = yamltext.dump(mutated)

    outcome(text)
    try:  # the same data, stored: from_dict refuses it the same way, never crashes
        Template.from_dict(mutated)
    except TemplateError as error:
        assert error.errors


def test_the_builtins_load_before_they_are_mutated():
    for source in builtin_templates().values():
        assert isinstance(outcome(source), Template)
