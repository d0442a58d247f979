from mentorpact.confidentiality.models import (
    AgreedDisclosure,
    DangerDisclosure,
    DisclosureUse,
    SafeguardingContact,
)
from mentorpact.lib.admin import register

# Every text (person, boundaries, issue, to whom, notes, reasons) is encrypted: never shown.
register(SafeguardingContact, list_display=("program", "user", "updated_at"))
register(AgreedDisclosure, list_display=("partnership", "proposed_at", "agreed_at", "revoked_at"))
register(DisclosureUse, list_display=("disclosure", "used_on", "created_at"))
register(DangerDisclosure, list_display=("partnership", "created_at", "mentee_told_at"))
