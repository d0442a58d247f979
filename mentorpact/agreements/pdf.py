"""Agreement PDFs with WeasyPrint: drafts marked DRAFT on every page; signed versions with a
signature page and an audit-trail page (sealed afterwards by sealing.py).

The HTML is rendered by Django with autoescaping, so what the partners typed is text in the
PDF, and WeasyPrint may fetch nothing (no files, no network): a value can never pull in a
resource.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from mentorpact.agreement_templates import rendering
from mentorpact.agreements import content as agreement_content
from mentorpact.agreements.models import AgreementAction, AgreementVersion
from mentorpact.audit import selectors as audit
from mentorpact.lib.dates import in_zone, zone_named


def ordered_signatures(version: AgreementVersion, signers: tuple[str, ...]) -> list:
    """The version's valid signatures in the template's order of signers."""
    signatures = [
        s for s in version.signatures.select_related("signer", "consent") if s.voided_at is None
    ]
    order = {role: i for i, role in enumerate(signers)}
    return sorted(signatures, key=lambda s: order.get(s.role, len(order)))


def pdf_context(version: AgreementVersion) -> dict:
    agreement = version.agreement
    partnership = agreement.partnership
    template = agreement_content.template_of(version.template_version)
    signatures = ordered_signatures(version, template.signers)
    for signature in signatures:
        signature.role_noun = template.role_noun(signature.role)
        signature.local_time = in_zone(signature.signed_at, signature.time_zone)
        signature.utc_time = in_zone(signature.signed_at, "UTC")
        signature.consent_time = in_zone(signature.consent.given_at, signature.time_zone)
    events = []
    if version.is_signed:
        # Everything up to this version's coming into effect (ids order the events: the
        # signatures are recorded after the moment the version took effect was read).
        history = audit.history_of(agreement).select_related("actor")
        last = history.filter(
            action=AgreementAction.IN_EFFECT, details__version_id=version.pk
        ).values("pk")[:1]
        # Each event with what it says and when (UTC), as the audit trail shows them.
        for event in history.filter(pk__lte=last):
            text = agreement_content.event_text(event, template)
            events.append((event, text, in_zone(event.at, "UTC")))
    doc = rendering.build_print(
        template,
        version.content,
        signatures=[
            {
                "role": s.role,
                "typed_name": s.typed_name,
                "date": rendering.date_text(
                    timezone.localtime(s.signed_at, zone_named(s.time_zone)).date()
                ),
            }
            for s in signatures
        ],
        is_draft=not version.is_signed,
    )
    invited = {i.role: i for i in agreement.invited.all()}
    return {
        # Who the form has sign, by how the form names them: the partners (by name), the
        # coordinator, and each extra signer as named (a parent or guardian).
        "roles": [
            (template.role_label("mentor"), partnership.mentor.full_name),
            (template.role_label("mentee"), partnership.mentee.full_name),
            *(
                (extra.label, invited[extra.key].name if extra.key in invited else "not named")
                for extra in template.extra_signers
            ),
        ],
        "signers": ", ".join(template.role_label(role) for role in template.signers),
        "doc": doc,
        "print_css": rendering.print_css(),
        "version": version,
        "agreement": agreement,
        "partnership": partnership,
        "program": partnership.program,
        "template": template,
        "is_draft": not version.is_signed,
        "signatures": signatures,
        "events": events,
        "effective_at": in_zone(version.effective_at, "UTC"),
    }


def render_pdf(version: AgreementVersion) -> bytes:
    html = render_to_string("agreements/pdf.html", pdf_context(version))
    # No protocol is allowed: any URL in the document is skipped, never fetched.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def filename(version: AgreementVersion) -> str:
    state = "signed" if version.is_signed else "draft"
    code = str(version.agreement.partnership.public_id)[:8]
    # The agreement's number too: a continued partnership's second agreement has a version 1.
    return f"agreement-{code}-{version.agreement.number}-v{version.number}-{state}.pdf"
