"""No confidential text is readable at rest: a canary planted through the services in every
text the partners write (agreement drafts, revisions and signed versions; a meeting's place,
agenda, topics, reasons, notes and feedback; the plan's goals, steps and progress, the
commitments; midpoint comments, closing learning and evidence; the thank-you note; a
free-text answer to the program's intake questions; a
request for help, the program's reply and the requester's follow-up; an agreed disclosure,
its use, a serious-danger disclosure; a notice of absence from a required program event; an
evaluation's free-text answer) appears
in none of the database's stored values and no media file. On a SQLite file database
(SQLITE_TEST_PATH, as CI runs it) the raw bytes of the file and its WAL are scanned too.
A media file is scanned as raw bytes and, when it is a PDF (a sealed agreement stored
unencrypted would be: its text is in compressed streams), as the text pdftotext reads.

A TransactionTestCase, so what the services wrote is committed to the file, as in life.
Emails (the outbox) are not confidential text in this sense (issue 12): none carries one of
these canaries today, and the scan would say so if one did.
"""

import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path

from django.db import connection
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements.models import AgreementRevision, AgreementVersion
from mentorpact.confidentiality import services as confidentiality
from mentorpact.confidentiality.models import DangerDisclosure
from mentorpact.evaluations import selectors as evaluation_selectors
from mentorpact.evaluations import services as evaluations
from mentorpact.evaluations import tests as evaluation_tests
from mentorpact.evaluations.models import Response
from mentorpact.events import services as events
from mentorpact.events.models import Invitation
from mentorpact.lib import stored_files
from mentorpact.matching import services as matching
from mentorpact.matching.models import MatchRun, Profile
from mentorpact.matching.tests import QUESTIONS as MATCHING_QUESTIONS
from mentorpact.meetings import services as meetings
from mentorpact.meetings.models import Note
from mentorpact.meetings.tests.base import install_builtin
from mentorpact.progress import services as progress
from mentorpact.progress.models import ClosingReview, MidpointReview, PlanItem, ThankYouNote
from mentorpact.progress.tests.base import ProgressMixin
from mentorpact.support import services as support
from mentorpact.support.models import HelpMessage, HelpRequest

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PREFIX = "CANARY-at-rest-"


def stored_values() -> list[str]:
    """Every value of every column of every table, as the database returns it (text, JSON
    text, bytes decoded leniently): what someone reading the database sees."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        values.append(bytes(value).decode("utf-8", "replace"))
                    elif value is not None:
                        values.append(str(value))
    return values


def database_files() -> list[Path]:
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or not Path(name).is_file():
        return []
    return [p for p in (Path(name), Path(f"{name}-wal")) if p.is_file()]


def readable(data: bytes) -> str:
    """What someone reading a file sees: its bytes, and a PDF's text as well."""
    text = data.decode("utf-8", "replace")
    if data.startswith(b"%PDF"):
        extracted = subprocess.run(
            ["pdftotext", "-q", "-", "-"], input=data, capture_output=True, check=True
        )
        text += "\n" + " ".join(extracted.stdout.decode("utf-8", "replace").split())
    return text


@override_settings(TASKS=IMMEDIATE_TASKS)
class CanaryAtRestTest(ProgressMixin, TransactionTestCase):
    slug = "whprms-partnership"  # its learning opportunities become commitments

    def setUp(self):
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        self.media = Path(media.name)
        settings = override_settings(MEDIA_ROOT=media.name)
        settings.enable()
        self.addCleanup(settings.disable)
        super().setUp()
        self.planted: list[str] = []
        self.plant()

    def canary(self, where: str) -> str:
        text = f"{PREFIX}{len(self.planted):03d}-{where}"
        self.planted.append(text)
        return text

    def plant(self):
        c = self.canary
        self.sign(
            mentee={
                "goal": c("agreement-goal"),
                "objectives": [c("objective-1"), c("objective-2"), c("objective-3")],
                "schedule": c("schedule"),
                "learning_opportunities": [
                    {"opportunity": c("opportunity"), "venue": c("venue")},
                ],
                "ground_rules": c("ground-rules"),
                "feedback_method": c("feedback-method"),
            }
        )
        now = timezone.now()
        meeting = meetings.schedule_meeting(
            partnership=self.partnership,
            user=self.theo,
            starts_at=now + timedelta(days=2),
            time_zone="UTC",
            duration_minutes=60,
            mode="face_to_face",
            place=c("place"),
            agenda=c("agenda"),
        )
        meetings.reschedule_meeting(
            meeting=meeting,
            user=self.mia,
            based_on_version=meeting.version,
            starts_at=now + timedelta(days=3),
            time_zone="UTC",
            duration_minutes=60,
            reason=c("reschedule-reason"),
        )
        held = meetings.record_past_meeting(
            partnership=self.partnership,
            user=self.theo,
            starts_at=now - timedelta(days=1),
            time_zone="UTC",
            held_minutes=45,
            mode="face_to_face",
            topics=c("topics"),
        )
        meetings.add_note(
            partnership=self.partnership,
            user=self.theo,
            body=c("note"),
            visibility=Note.Visibility.SHARED,
            meeting=held,
        )
        # WHPRMS asks no feedback after sessions: the program adds two questions of its own.
        program = self.partnership.program
        program.rules = {"feedback_questions": ["What helped?", "What next?"]}
        program.save()
        meetings.submit_feedback(
            meeting=held, user=self.theo, answers=[c("feedback")] * 2, shared_with_partner=True
        )

        concern = support.raise_request(
            partnership=self.partnership,
            user=self.theo,
            kind="concern",
            message=c("help-request"),
            partner_may_know=False,
        )
        support.add_message(request=concern, user=self.cora, body=c("help-reply"))
        support.add_message(request=concern, user=self.theo, body=c("help-follow-up"))

        # The pilot's exceptions to confidentiality, declared for this program's rules for a
        # moment (the WHPRMS form has none), then the WHPRMS form back.
        whprms = self.program.template_choice.template
        set_template(self.program, install_builtin("university-pilot"))
        confidentiality.set_safeguarding_contact(
            program=self.program, actor=self.cora, user=self.cora
        )
        disclosure = confidentiality.propose_agreed_disclosure(
            partnership=self.partnership,
            user=self.theo,
            person=c("disclosure-person"),
            boundaries=c("disclosure-boundaries"),
            issue=c("disclosure-issue"),
        )
        disclosure = confidentiality.agree_disclosure(disclosure=disclosure, user=self.mia)
        confidentiality.log_use(
            disclosure=disclosure,
            user=self.mia,
            used_on=now.date(),
            to_whom=c("use-to-whom"),
            note=c("use-note"),
        )
        confidentiality.record_danger_disclosure(
            partnership=self.partnership,
            user=self.mia,
            disclosed_to=c("danger-to"),
            reason=c("danger-reason"),
        )
        set_template(self.program, whprms)
        # A notice of absence from a required program event.
        starts = now + timedelta(days=5)
        training = events.create_event(
            program=self.program,
            actor=self.cora,
            details=events.EventDetails(
                title="Training",
                description="",
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                time_zone="UTC",
                place="Room 1",
                capacity=None,
                invited_roles=["mentee"],
                required=True,
            ),
        )
        events.answer(
            invitation=training.invitations.get(user=self.theo),
            user=self.theo,
            answer="no",
            absence_reason=c("absence-reason"),
        )
        # A free-text answer to the program's evaluation.
        evaluation = evaluation_tests.an_evaluation(self)
        evaluation_tests.a_round(evaluation, self.partnership)
        evaluations.answer(
            asked=evaluation_selectors.get_round_for_respondent(
                self.theo, evaluation.public_id, self.partnership.public_id, "midpoint"
            ),
            user=self.theo,
            answers=evaluation_tests.ANSWERS | {"comments": c("evaluation-answer")},
            version=None,
        )

        items = list(self.start_plan().items.all())
        item = items[0]
        progress.update_plan_item(
            item=item,
            actor=self.theo,
            changes=progress.ItemChanges(
                status="in_progress",
                action_steps=c("action-steps"),
                measure=c("measure"),
                owner="mentee",
                owner_name="",
                due_on=None,
                progress_note=c("plan-progress"),
            ),
            based_on_version=item.version,
        )
        for user in (self.theo, self.mia):
            progress.submit_midpoint_review(
                partnership=self.partnership,
                actor=user,
                answers={
                    str(i.public_id): {"assessment": "on_track", "comment": c("midpoint-comment")}
                    for i in items
                },
                overall=c("midpoint-overall"),
                change_course=False,
            )
        outcomes = {
            str(i.public_id): {"outcome": "met", "evidence": c("closing-evidence")} for i in items
        }
        review = progress.propose_closing(
            partnership=self.partnership,
            actor=self.mia,
            decision="conclude",
            outcomes=outcomes,
            learning=c("mentor-learning"),
        )
        progress.confirm_closing(
            review=review,
            actor=self.theo,
            based_on_version=review.version,
            outcomes=outcomes,
            learning=c("mentee-learning"),
        )
        progress.send_thank_you(
            partnership=self.partnership,
            actor=self.theo,
            subject=c("thank-you-subject"),
            body=c("thank-you-body"),
        )
        # A free-text answer to the program's intake questions, then a run of the match.
        matching.save_questions(program=self.program, source=MATCHING_QUESTIONS, actor=self.cora)
        matching.save_profile(
            program=self.program,
            user=self.theo,
            role="mentee",
            answers={"area": "Biology", "hopes": c("matching-hopes")},
        )
        matching.run_match(program=self.program, actor=self.cora)

    def test_no_planted_canary_is_readable_in_the_database_or_media_files(self):
        values = stored_values()
        files = database_files() + [p for p in self.media.rglob("*") if p.is_file()]
        leaks = sorted(
            {canary for value in values for canary in self.planted if canary in value}
            | {
                f"{canary} in {path.name}"
                for path in files
                for canary in self.planted
                if canary in readable(path.read_bytes())
            }
        )

        self.assertEqual(leaks, [])
        # One walk, both sides (a TransactionTestCase plants again for each test): everything
        # planted went in and reads back, so the scan above could fail ...
        signed = AgreementVersion.objects.get(status="in_effect")
        self.assertEqual(signed.content["goal"], self.planted[0])
        self.assertTrue(AgreementRevision.objects.filter(version=signed).exists())
        self.assertIn(PREFIX, PlanItem.objects.get(progress_note__gt="").progress_note)
        self.assertIn(PREFIX, MidpointReview.objects.first().overall)
        self.assertIn(PREFIX, ClosingReview.objects.get().mentee_learning)
        self.assertIn(PREFIX, ThankYouNote.objects.get().body)
        self.assertIn(PREFIX, Profile.objects.get().answers["hopes"])
        self.assertTrue(MatchRun.objects.exists())
        self.assertIn(PREFIX, HelpRequest.objects.get().message)
        self.assertTrue(all(PREFIX in m.body for m in HelpMessage.objects.all()))
        self.assertIn(PREFIX, DangerDisclosure.objects.get().reason)
        self.assertIn(PREFIX, Invitation.objects.get().absence_reason)
        self.assertIn(PREFIX, Response.objects.get().answers["comments"])
        self.assertEqual(len(self.planted), 49)
        # The sealed PDF was stored (and emailed), and its plain bytes would show the goal.
        self.assertTrue(signed.sealed_pdf.name)
        self.assertIn(self.planted[0], readable(stored_files.read(signed.sealed_pdf.name)))
        # ... and the scan finds a canary in a column that is not encrypted.
        User.objects.filter(pk=self.mia.pk).update(full_name=f"{PREFIX}probe")
        self.assertTrue(any(f"{PREFIX}probe" in value for value in stored_values()))
        if database_files():
            raw = b"".join(path.read_bytes() for path in database_files())
            self.assertIn(f"{PREFIX}probe".encode(), raw)
