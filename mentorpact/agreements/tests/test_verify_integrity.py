"""manage.py verify_integrity: intact records pass; anything changed behind the database's
back (its triggers off) is named by table and row, down to one field or one byte."""

import random
import time
import uuid
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import IntegrityError, models, transaction

from mentorpact.agreements import integrity, services
from mentorpact.agreements.integrity import UNDECRYPTABLE
from mentorpact.agreements.models import (
    AgreementRevision,
    AgreementVersion,
    ESignConsent,
    Signature,
)
from mentorpact.agreements.tests.base import AgreementTestCase
from mentorpact.audit import integrity as audit_integrity
from mentorpact.audit.models import ChainHead, Event
from mentorpact.lib import crypto
from mentorpact.test import triggers_off

MUTATIONS = 1000
PDF_MUTATIONS = 100  # of MUTATIONS: one byte of a sealed PDF file
# Not part of the record: every table's key (rows are named by it; a signature's or a
# revision's own key is digested where other rows point at it), a version's delivery mark,
# the stamp of the last key rotation (the token it re-encrypted is checked by its plaintext).
UNCHECKED = {"id", "delivered_at", "key_rotated_at"}


def found() -> list[str]:
    return [str(p) for p in audit_integrity.chain_problems()] + [
        str(p) for p in integrity.problems()
    ]


class VerifyIntegrityTest(AgreementTestCase):
    """Every kind of protected row: a signature voided by an edit (a replaced version), a
    version superseded by a signed amendment and its sealed PDF, a consent withdrawn and given
    again."""

    def setUp(self):
        super().setUp()
        self.tell_the_story()

    def tell_the_story(self) -> None:
        first = self.complete()
        self.sign(self.theo, first)
        self.save(self.mia, {"frequency": "Monthly"})  # voids Theo's signature: first replaced
        self.signed = self.sign_by_both_again()
        services.seal_signed_version(version=self.signed)
        services.withdraw_esign_consent(user=self.theo, agreement=self.agreement)
        services.propose_amendment(agreement=self.agreement, user=self.theo)
        amendment = self.save(self.mia, {"frequency": "Every week"})
        self.sign(self.mia, amendment)
        self.sign(self.theo, AgreementVersion.objects.get(pk=amendment.pk))
        self.amended = AgreementVersion.objects.get(pk=amendment.pk)

    def sign_by_both_again(self) -> AgreementVersion:
        version = self.draft()
        self.sign(self.theo, version)
        self.sign(self.mia, AgreementVersion.objects.get(pk=version.pk))
        return AgreementVersion.objects.get(pk=version.pk)

    def test_the_story_is_intact(self):
        self.assertEqual(
            sorted(AgreementVersion.objects.values_list("status", flat=True)),
            ["in_effect", "replaced", "superseded"],
        )
        out = StringIO()
        call_command("verify_integrity", stdout=out)
        head = ChainHead.objects.get()
        self.assertEqual(
            out.getvalue(), f"intact: audit chain of {head.seq} events, head {head.hash}\n"
        )

    def test_a_changed_signature_fails_the_command_naming_its_row(self):
        signature = Signature.objects.filter(version=self.amended).first()
        err = StringIO()
        with triggers_off():
            Signature.objects.filter(pk=signature.pk).update(typed_name="Someone Else")
            with self.assertRaisesMessage(CommandError, "not intact: 1 problem found"):
                call_command("verify_integrity", stderr=err)
        self.assertEqual(
            err.getvalue(),
            f"agreements_signature row {signature.pk}: the signature differs from what its "
            "audit event recorded\n",
        )

    def test_each_kind_of_change_is_named(self):
        version = "agreements_agreementversion row"
        with self.subTest("a version moved to superseded"), triggers_off():
            AgreementVersion.objects.filter(pk=self.amended.pk).update(
                status="superseded", superseded_at=self.amended.effective_at
            )
            self.assertEqual(
                found(),
                [f"{version} {self.amended.pk}: superseded, but no later version took effect then"],
            )
        with self.subTest("a changed content"), triggers_off():
            content = {**self.amended.content, "frequency": "Never"}
            AgreementVersion.objects.filter(pk=self.amended.pk).update(
                content_token=crypto.encrypt_json(content)
            )
            self.assertIn(
                f"{version} {self.amended.pk}: its content does not match its content_sha256",
                found(),
            )
        signature = Signature.objects.filter(version=self.amended).first()
        revision = AgreementRevision.objects.order_by("id").first()
        with self.subTest("a signature and a revision deleted"), triggers_off():
            Signature.objects.filter(pk=signature.pk)._raw_delete("default")
            AgreementRevision.objects.filter(pk=revision.pk)._raw_delete("default")
            problems = found()
            self.assertIn(
                f"agreements_signature row {signature.pk}: recorded by its signed event, but gone",
                problems,
            )
            self.assertIn(
                f"agreements_agreementrevision row {revision.pk}: recorded by its audit event, "
                "but gone",
                problems,
            )
        path = Path(default_storage.path(self.signed.sealed_pdf.name))
        data = path.read_bytes()
        pdf = crypto.decrypt_bytes(data)  # stored encrypted (lib.stored_files)
        pdf_name = f"{version} {self.signed.pk}: sealed PDF '{self.signed.sealed_pdf.name}'"
        with self.subTest("a byte of a sealed PDF's stored token"):
            try:
                path.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
                self.assertEqual(found(), [f"{pdf_name} {UNDECRYPTABLE}"])
            finally:
                path.write_bytes(data)
        with self.subTest("a byte of a sealed PDF, encrypted again"):
            try:
                path.write_bytes(
                    crypto.encrypt_bytes(pdf[:100] + bytes([pdf[100] ^ 1]) + pdf[101:])
                )
                self.assertEqual(found(), [f"{pdf_name} differs from its sealed_pdf_sha256"])
            finally:
                path.write_bytes(data)

    def test_a_thousand_random_changes_are_all_caught(self):
        """1,000 random single changes (a field of a protected row, or a byte of a sealed
        PDF), each undone before the next: verify_integrity finds every one the database lets
        through with its triggers off."""
        rng = random.Random(20261202)
        cells = _cells()
        pdfs = [
            Path(default_storage.path(name))
            for name in AgreementVersion.objects.exclude(sealed_pdf="").values_list(
                "sealed_pdf", flat=True
            )
        ]
        self.assertEqual(found(), [])
        missed, refused, caught = [], 0, 0
        started = time.monotonic()
        with triggers_off():
            for n in range(MUTATIONS):
                if n % (MUTATIONS // PDF_MUTATIONS) == 0:
                    path = rng.choice(pdfs)
                    data = path.read_bytes()
                    at = rng.randrange(len(data))
                    path.write_bytes(
                        data[:at] + bytes([data[at] ^ rng.randrange(1, 256)]) + data[at + 1 :]
                    )
                    try:
                        problems = found()
                    finally:
                        path.write_bytes(data)
                    what = f"{path.name} byte {at}"
                else:
                    model, pk, field = rng.choice(cells)
                    value = _mutated(rng, model, pk, field)
                    what = f"{model._meta.db_table} {pk} {field.name} -> {value!r}"
                    try:
                        with transaction.atomic():
                            model._default_manager.filter(pk=pk).update(**{field.attname: value})
                            problems = found()
                            raise _Undo
                    except IntegrityError:  # a constraint the triggers do not own
                        refused += 1
                        continue
                    except _Undo:
                        pass
                if problems:
                    caught += 1
                else:
                    missed.append(what)
        elapsed = time.monotonic() - started
        self.assertEqual(missed, [])
        self.assertEqual(caught + refused, MUTATIONS)
        # The constraints (not the triggers) refuse some: a second row with the same role or
        # seq, a status its dates forbid. Most get through to the check.
        self.assertLess(refused, MUTATIONS // 5)
        print(f"\n{MUTATIONS} mutations: {caught} caught, {refused} refused, {elapsed:.1f} s")


class _Undo(Exception):
    """Leaves the mutation's savepoint, rolling it back."""


def _cells() -> list[tuple[type[models.Model], int, models.Field]]:
    """Every (model, row, field) of the protected records (drafts are being written)."""
    rows: list[tuple[type[models.Model], Any]] = [
        (Event, Event.objects.all()),
        (ChainHead, ChainHead.objects.all()),
        (AgreementVersion, AgreementVersion.objects.exclude(status="draft")),
        (Signature, Signature.objects.all()),
        (ESignConsent, ESignConsent.objects.all()),
        (AgreementRevision, AgreementRevision.objects.all()),
    ]
    cells = []
    for model, queryset in rows:
        fields = [f for f in model._meta.concrete_fields if f.name not in UNCHECKED]
        for pk in queryset.values_list("pk", flat=True):
            cells += [(model, pk, field) for field in fields]
    return cells


def _mutated(rng: random.Random, model: type[models.Model], pk: int, field: models.Field) -> Any:
    """A different value of the field's own type (so the database stores it)."""
    value = getattr(model._default_manager.get(pk=pk), field.attname)
    if field.is_relation:
        assert field.related_model is not None
        related = field.related_model._default_manager.exclude(pk=value)
        choices = list(related.values_list("pk", flat=True)[:20])
        return rng.choice(choices) if choices else (value or 0) + 1000
    if field.choices:
        return rng.choice([c for c, _label in field.choices if c != value])
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.IntegerField | models.BigIntegerField):
        return (value or 0) + rng.choice([-1, 1, 7])
    if isinstance(field, models.DateTimeField):
        base = value or Event.objects.order_by("at").values_list("at", flat=True)[0]
        return base + timedelta(microseconds=rng.randrange(1, 10**7))
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.GenericIPAddressField):
        return f"198.51.100.{rng.randrange(1, 255)}" if value != "198.51.100.1" else "10.0.0.1"
    if isinstance(field, models.JSONField):
        return _mutated_json(rng, value)
    return _mutated_text(rng, str(value or ""))


def _mutated_text(rng: random.Random, text: str) -> str:
    if not text:
        return "x"
    at = rng.randrange(len(text))
    alphabet = "0123456789abcdef" if text[at] in "0123456789abcdef" else "XYZ"
    return text[:at] + rng.choice([c for c in alphabet if c != text[at]]) + text[at + 1 :]


def _mutated_json(rng: random.Random, value: Any) -> Any:
    if isinstance(value, dict):
        if not value:
            return {"x": 1}
        key = rng.choice(sorted(value))
        return {**value, key: _mutated_json(rng, value[key])}
    if isinstance(value, list):
        if not value:
            return ["x"]
        at = rng.randrange(len(value))
        return value[:at] + [_mutated_json(rng, value[at])] + value[at + 1 :]
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return _mutated_text(rng, value)
    return "x"  # None
