"""Background work for agreements, run by `manage.py db_worker`. Ids as arguments: a task may
run long after it was enqueued, so it reads the rows fresh."""

from django.tasks import task

from mentorpact.agreements import services
from mentorpact.agreements.models import AgreementVersion, InvitedSigner, Signature


@task
def deliver_signed_agreement(version_id: int) -> None:
    """Seal the PDF of a version that came into effect and email it (once)."""
    version = AgreementVersion.objects.select_related(
        "agreement__partnership__program", "template_version"
    ).get(pk=version_id)
    services.seal_signed_version(version=version)
    services.email_signed_version(version=version)


@task
def seal_signed_agreement(version_id: int) -> None:
    """Seal the PDF of a signed version that is delivered otherwise (the demo's story, whose
    agreements were delivered when they were signed), so its download serves the stored
    file."""
    version = AgreementVersion.objects.select_related("agreement__partnership").get(pk=version_id)
    services.seal_signed_version(version=version)


@task
def notify_signature_voided(signature_id: int) -> None:
    signature = Signature.objects.select_related("signer", "version__agreement__partnership").get(
        pk=signature_id
    )
    services.email_voided_signature(signature=signature)


@task
def notify_your_turn_to_sign(signature_id: int) -> None:
    signature = Signature.objects.select_related("signer").get(pk=signature_id)
    services.email_your_turn_to_sign(signature=signature)


@task
def invite_signer(invited_id: int, link_version: int) -> None:
    invited = InvitedSigner.objects.select_related(
        "agreement__partnership__program", "named_by", "user"
    ).get(pk=invited_id)
    services.email_signer_invitation(invited=invited, link_version=link_version)
