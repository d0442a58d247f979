"""No combination of signers and acknowledgements leaves an agreement nobody can sign.

Hypothesis writes forms with any signers the format accepts (the mentor, the mentee or both,
the program's coordinator or not, up to two extra signers such as a parent or guardian, named
by either partner, in any order), any acknowledgements (accepted by every signer, or by any
set of signers and partners) and required fields for either partner or both. Each form is
loaded through the real format, and a partnership is driven through it by the people's own
actions only: each partner fills in and ticks what their own form lets them (the inputs
`build_form` leaves open to them, read back by `parse_post`, saved by `save_draft`), the
partner the form says names each extra signer, and then every signer signs, each as the
signing page has them (the statement the page shows: the coordinator's and an invited
signer's names each acknowledgement they accept by signing). Every generated agreement must
reach "in effect", with exactly its signers' signatures.
"""

import itertools
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from mentorpact.agreement_templates.rendering import build_form, parse_post
from mentorpact.agreement_templates.schema import load_template
from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreement_templates.values import incomplete
from mentorpact.agreements import selectors, services
from mentorpact.agreements.models import Agreement, AgreementVersion, Signature
from mentorpact.agreements.tests.base import make_template_from, sign_draft
from mentorpact.partnerships import services as partnership_services
from mentorpact.programs.models import Enrolment, Program
from mentorpact.test import PersonasMixin

EXTRAS = ("guardian", "supervisor")
_counter = itertools.count(1)


@st.composite
def forms(draw) -> dict:
    """A form's signers, acknowledgements and fields, as the YAML's parts."""
    partners = draw(st.sampled_from([("mentor",), ("mentee",), ("mentor", "mentee")]))
    coordinator = draw(st.booleans())
    extras = draw(st.lists(st.sampled_from(EXTRAS), unique=True, max_size=2))
    named_by = {key: draw(st.sampled_from(("mentor", "mentee"))) for key in extras}
    signers = draw(st.permutations([*partners, *(["coordinator"] if coordinator else []), *extras]))
    who = sorted({*signers, "mentor", "mentee"})
    acknowledgements = draw(
        st.lists(
            st.tuples(
                st.one_of(st.none(), st.lists(st.sampled_from(who), unique=True, min_size=1)),
                st.booleans(),  # required: signing waits for it
            ),
            max_size=3,
        )
    )
    fields = draw(
        st.lists(
            st.tuples(st.sampled_from(("shared", "mentor", "mentee")), st.booleans()), max_size=3
        )
    )
    return {
        "signers": signers,
        "named_by": named_by,
        "acknowledgements": acknowledgements,
        "fields": fields,
    }


def form_yaml(form: dict, slug: str) -> str:
    signers = [
        f"{{key: {s}, label: {s.capitalize()}, named_by: {form['named_by'][s]}}}"
        if s in EXTRAS
        else s
        for s in form["signers"]
    ]
    blocks = ["      - text: We agree."]
    for i, (accepted_by, required) in enumerate(form["acknowledgements"]):
        blocks.append(
            f"      - {{key: ack{i}, kind: acknowledgement, label: Clause {i}, "
            f"statement: We accept clause {i}., required: {'true' if required else 'false'}"
            + (f", accepted_by: [{', '.join(accepted_by)}]" if accepted_by else "")
            + "}"
        )
    for i, (party, required) in enumerate(form["fields"]):
        blocks.append(
            f"      - {{key: field{i}, kind: text, label: Field {i}, party: {party}, "
            f"required: {'true' if required else 'false'}}}"
        )
    return "\n".join(
        [
            "format: 1",
            f"slug: {slug}",
            "title: Generated form",
            "roles: {mentee: Student}",
            f"signers: [{', '.join(signers)}]",
            "rules: {distribution: pair}",
            "sections:",
            "  - key: terms",
            "    blocks:",
            *blocks,
        ]
    )


class SignersCombinationTest(PersonasMixin, TestCase):
    def fill_in_as(self, agreement: Agreement, user, role: str) -> None:
        """What this partner's own form lets them do: every open input filled in, every open
        box ticked, saved."""
        draft = selectors.draft_version(agreement)
        assert draft is not None
        template = draft.template_version.as_template()
        view = build_form(template, draft.content, party=role)
        data = {}
        for section in view.sections:
            for block in section.blocks:
                field = block.field
                if field is None:
                    continue
                controls = list(field.controls)
                for group in field.groups:
                    controls += group.controls
                for control in controls:
                    if control.locked:
                        continue
                    data[control.name] = "yes" if control.type == "checkbox" else f"By the {role}"
        values = parse_post(template, data, party=role)
        services.save_draft(
            agreement=agreement, user=user, values=values, based_on_revision=draft.revision
        )

    @settings(
        max_examples=int(os.environ.get("SIGNERS_EXAMPLES", "60")),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(form=forms())
    def test_every_form_reaches_in_effect_by_its_signers_own_actions(self, form):
        slug = f"generated-{next(_counter)}"
        template = load_template(form_yaml(form, slug))
        program = Program.objects.create(name=f"Program {slug}")
        set_template(program, make_template_from(form_yaml(form, slug), slug))
        for user, role in ((self.cora, "coordinator"), (self.mia, "mentor"), (self.theo, "mentee")):
            Enrolment.objects.create(program=program, user=user, role=role)
        partnership = partnership_services.create_partnership(
            program=program, mentor=self.mia, mentee=self.theo, actor=self.cora
        )
        agreement = services.start_agreement(partnership=partnership, actor=self.mia)
        people = {"mentor": self.mia, "mentee": self.theo, "coordinator": self.cora}

        # The pair drafts: each partner acts on what their own form offers.
        self.fill_in_as(agreement, self.theo, "mentee")
        self.fill_in_as(agreement, self.mia, "mentor")
        draft = selectors.draft_version(agreement)
        assert draft is not None
        self.assertEqual(incomplete(template, draft.content), {})

        # The partner the form says names each extra signer.
        invited = {}
        for extra in template.extra_signers:
            invited[extra.key] = services.name_invited_signer(
                agreement=agreement,
                user=people[extra.named_by],
                role=extra.key,
                name=f"{extra.label} Person",
                email=f"{extra.key}@example.org",
            )

        # Every signer signs, in the form's order.
        for role in template.signers:
            if role in invited:
                sign_draft(agreement, invited[role].user, invited[role])
            else:
                sign_draft(agreement, people[role])

        version = AgreementVersion.objects.get(agreement=agreement)
        self.assertEqual(version.status, AgreementVersion.Status.IN_EFFECT)
        self.assertEqual(
            sorted(Signature.objects.filter(version=version).values_list("role", flat=True)),
            sorted(template.signers),
        )
