"""Reads for the confidentiality exceptions, and who may read which record.

Agreed disclosures and their uses: the two partners (get_partnership_for_partner: the
coordinator 403). A serious-danger disclosure: the mentor who recorded it and the program's
safeguarding contact named on it; anyone else 404 (the mentee is not told by Mentorpact)."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from mentorpact.agreement_templates.rules import effective_rules
from mentorpact.confidentiality.models import (
    AgreedDisclosure,
    DangerDisclosure,
    DisclosureUse,
    SafeguardingContact,
)
from mentorpact.lib import csvfile
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program

AGREED = "agreed_disclosure"
DANGER = "serious_danger"


def exceptions_of(partnership: Partnership) -> tuple[str, ...]:
    """The exceptions the program's form declares (rules.confidentiality_exceptions)."""
    return effective_rules(partnership.program).confidentiality_exceptions or ()


def agreed_disclosures(partnership: Partnership) -> QuerySet[AgreedDisclosure]:
    return (
        AgreedDisclosure.objects.filter(partnership=partnership)
        .prefetch_related(
            Prefetch("uses", queryset=DisclosureUse.objects.select_related("logged_by"))
        )
        .select_related("proposed_by", "agreed_by", "revoked_by")
    )


def get_agreed_disclosure(partnership: Partnership, public_id) -> AgreedDisclosure:
    found = AgreedDisclosure.objects.filter(partnership=partnership, public_id=public_id).first()
    if found is None:
        raise Http404
    return found


def danger_disclosures_by(partnership: Partnership, user) -> QuerySet[DangerDisclosure]:
    """The mentor's own serious-danger disclosures on this partnership (none for the mentee)."""
    return DangerDisclosure.objects.filter(partnership=partnership, mentor=user)


def get_danger_for_reader(user, public_id) -> tuple[DangerDisclosure, str]:
    """The record and the reader's part ("mentor" or "contact"); anyone else 404."""
    if not user.is_authenticated:
        raise Http404
    found = (
        DangerDisclosure.objects.select_related(
            "partnership__program", "partnership__mentor", "partnership__mentee", "contact"
        )
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise Http404
    if found.mentor_id == user.pk:
        return found, "mentor"
    if found.contact_id == user.pk:
        return found, "contact"
    raise Http404


def contact_of(program: Program) -> SafeguardingContact | None:
    return SafeguardingContact.objects.filter(program=program).select_related("user").first()


def coordinators_of(program: Program) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(program=program, role=Enrolment.Role.COORDINATOR)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def danger_records_for_contact(user) -> QuerySet[DangerDisclosure]:
    """What the safeguarding contact was alerted to (their list)."""
    return DangerDisclosure.objects.filter(contact=user).select_related(
        "partnership__program", "partnership__mentor", "partnership__mentee"
    )


def _iso(moment) -> str:
    return moment.isoformat() if moment else ""


def record_files(partnership: Partnership, user) -> dict[str, bytes]:
    """This partner's part of the record ZIP: the agreed disclosures and their uses (the
    pair's), and for the mentor their own serious-danger disclosures. None when the form
    declares no exception; nothing for anyone but the partners."""
    role = partnership.role_of(user)
    if role is None or not exceptions_of(partnership):
        return {}
    disclosures = list(agreed_disclosures(partnership).order_by("proposed_at", "id"))
    files = {
        "agreed-disclosures.csv": csvfile.write(
            ["who", "boundaries", "issue", "proposed", "agreed", "revoked"],
            [
                [
                    d.person,
                    d.boundaries,
                    d.issue,
                    _iso(d.proposed_at),
                    _iso(d.agreed_at),
                    _iso(d.revoked_at),
                ]
                for d in disclosures
            ],
        ),
        "disclosure-uses.csv": csvfile.write(
            ["disclosure to", "used on", "to whom", "note"],
            [
                [d.person, _iso(u.used_on), u.to_whom, u.note]
                for d in disclosures
                for u in d.uses.all()
            ],
        ),
    }
    if role == "mentor":
        files["serious-danger-disclosures.csv"] = csvfile.write(
            ["recorded", "disclosed to", "why", "mentee told"],
            [
                [_iso(r.created_at), r.disclosed_to, r.reason, _iso(r.mentee_told_at)]
                for r in danger_disclosures_by(partnership, user).order_by("created_at", "id")
            ],
        )
    return files
