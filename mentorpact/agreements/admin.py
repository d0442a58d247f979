from mentorpact.agreements.models import (
    Agreement,
    AgreementRevision,
    AgreementVersion,
    ESignConsent,
    InvitedSigner,
    Signature,
)
from mentorpact.lib.admin import register

# The agreement's content (content_token, left out like every *_token) and its sealed PDF are
# the partners' own: never shown here.
register(
    Agreement,
    list_display=("partnership", "number", "status", "due_on", "in_effect_since"),
    search_fields=("public_id",),
)
register(
    AgreementVersion,
    list_display=("agreement", "number", "status", "signature_count", "effective_at"),
    hidden=("sealed_pdf",),
)
register(AgreementRevision, list_display=("agreement", "revision", "author", "created_at"))
register(
    ESignConsent, list_display=("user", "given_at", "withdrawn_at"), search_fields=("user__email",)
)
register(Signature, list_display=("signer", "role", "version", "signed_at", "voided_at"))
register(
    InvitedSigner,
    list_display=("agreement", "role", "user", "named_at", "link_version"),
    search_fields=("email",),
)
