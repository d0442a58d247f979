from datetime import date
from io import StringIO

from django.apps import apps
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.urls import reverse

from demo import player
from mentorpact.accounts.models import User
from mentorpact.agreement_templates.models import AgreementTemplate, ProgramTemplate
from mentorpact.agreement_templates.selectors import chosen_template
from mentorpact.audit.models import Event
from mentorpact.confidentiality.models import SafeguardingContact
from mentorpact.evaluations.models import Evaluation, Response
from mentorpact.evaluations.selectors import evaluation_summary
from mentorpact.events.models import ProgramEvent
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program
from mentorpact.test import PASSWORD, BaseTestCase, events_of

# The demo's story is told on this day (see demo/story.yaml).
STORY_DAY = date(2026, 11, 23)
FIXED_ACCOUNTS = [
    "cora@example.org",
    "mia@example.org",
    "theo@example.org",
    "olive@example.org",
    "admin@example.org",
]


def run_load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table, in primary-key order."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.db_table in tables
    }


# The command creates the personas itself, so these tests start from an empty database
# rather than from BaseTestCase.
class LoadDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = run_load_demo()

    def test_reds_intake_is_ready_to_match(self):
        from mentorpact.matching import selectors as matching_selectors
        from mentorpact.matching import services as matching
        from mentorpact.matching.models import Preference, Profile

        red = Program.objects.get(name="RED Peer Mentoring Program")
        self.assertEqual(len(matching_selectors.intake(red).questions), 3)
        profiles = Profile.objects.filter(program=red)
        self.assertEqual(profiles.count(), 10)
        self.assertFalse(profiles.filter(completed_at__isnull=True).exists())
        self.assertEqual(Preference.objects.filter(program=red).count(), 8)
        # Every mentee who answered is matched (within each mentor's capacity, never with a
        # mentor of their own department); those left over from closed partnerships, who
        # have not answered, are reported with that reason.
        run = matching.run_match(program=red, actor=User.objects.get(email="cora@example.org"))
        answered = {str(p.user.public_id) for p in profiles.filter(role="mentee")}
        self.assertEqual({pair["mentee"] for pair in run.result["pairs"]}, answered)
        for unmatched in run.result["unmatched"]:
            self.assertNotIn(unmatched["mentee"], answered)
            self.assertIn("not answered", unmatched["text"])

    def test_it_creates_the_five_seed_programs(self):
        self.assertEqual(
            set(Program.objects.values_list("name", flat=True)),
            {
                "RED Peer Mentoring Program",
                "ASPE Mentoring Program",
                "WHPRMS Mentor Program",
                "University Mentoring Pilot",
                "Remote Mentoring Programme",
            },
        )
        red = Program.objects.get(name="RED Peer Mentoring Program")
        self.assertEqual(red.contact_email, "red@rsp.wisc.edu")
        self.assertEqual(red.contact_phone, "608-262-3822")
        self.assertEqual(red.return_address, "red@rsp.wisc.edu")
        self.assertEqual(red.kickoff_date.month, 1)
        self.assertEqual((red.agreement_due_date.month, red.agreement_due_date.day), (2, 23))
        aspe = Program.objects.get(name="ASPE Mentoring Program")
        self.assertEqual(aspe.return_address, "aspementor@aspe.org")
        whprms = Program.objects.get(name="WHPRMS Mentor Program")
        self.assertEqual(whprms.return_address, "president_elect@whprms.org")
        pilot = Program.objects.get(name="University Mentoring Pilot")
        self.assertEqual(pilot.return_address, "")

    def test_the_fixed_accounts_sign_in_with_the_demo_password(self):
        for email in FIXED_ACCOUNTS:
            with self.subTest(email=email):
                response = self.client.post(
                    reverse("accounts:login"),
                    {"username": email, "password": "mentorpact-demo"},
                )
                self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
                self.assertEqual(int(self.client.session["_auth_user_id"]), self.user(email).pk)
                self.client.logout()

    def test_every_demo_account_has_the_demo_password(self):
        for password in User.objects.filter(
            email__in=[player.email(name) for name in player.story()["people"]]
        ).values_list("password", flat=True):
            self.assertTrue(check_password("mentorpact-demo", password))

    def test_the_admin_is_a_superuser_who_can_open_the_admin_site(self):
        self.client.force_login(self.user("admin@example.org"))
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_every_program_has_a_coordinator_and_partnerships_at_three_stages(self):
        for program in Program.objects.all():
            with self.subTest(program=program.name):
                self.assertTrue(program.enrolments.filter(role=Enrolment.Role.COORDINATOR).exists())
                statuses = list(program.partnerships.values_list("status", flat=True))
                self.assertGreaterEqual(len(statuses), 3)
                self.assertGreaterEqual(len(set(statuses)), 3)

    def test_every_status_appears_somewhere(self):
        self.assertEqual(
            set(Partnership.objects.values_list("status", flat=True)),
            set(Partnership.Status.values),
        )

    def test_cora_coordinates_every_program(self):
        cora = self.user("cora@example.org")
        self.assertEqual(
            Enrolment.objects.filter(user=cora, role=Enrolment.Role.COORDINATOR).count(), 5
        )

    def test_mia_mentors_in_several_programs_and_theo_is_her_partner(self):
        mia, theo = self.user("mia@example.org"), self.user("theo@example.org")
        self.assertGreaterEqual(
            Enrolment.objects.filter(user=mia, role=Enrolment.Role.MENTOR).count(), 3
        )
        statuses = set(
            Partnership.objects.filter(mentor=mia, mentee=theo).values_list("status", flat=True)
        )
        self.assertEqual(statuses, {"drafting", "active"})

    def test_olive_is_enrolled_in_nothing(self):
        olive = self.user("olive@example.org")
        self.assertFalse(Enrolment.objects.filter(user=olive).exists())
        self.assertFalse(Partnership.objects.filter(mentor=olive).exists())
        self.assertFalse(Partnership.objects.filter(mentee=olive).exists())

    def test_due_dates_lie_ahead_and_one_program_is_overdue(self):
        due = Program.objects.exclude(agreement_due_date=None)
        self.assertTrue(due.filter(agreement_due_date__gt=STORY_DAY).exists())
        overdue = Partnership.objects.filter(
            status=Partnership.Status.DRAFTING, program__agreement_due_date__lt=STORY_DAY
        )
        self.assertEqual(
            list(overdue.values_list("program__name", flat=True)), ["WHPRMS Mentor Program"]
        )

    def test_each_status_change_has_its_event_on_the_storys_date(self):
        partnership = Partnership.objects.get(
            mentor__email="lucia.fernandez@example.org", mentee__email="dmitri.volkov@example.org"
        )
        events = list(events_of(partnership, "partnership"))
        self.assertEqual(
            [(e.kind, e.details["to_status"], e.at.date()) for e in events],
            [
                ("created", "drafting", date(2026, 1, 21)),
                ("status_changed", "active", date(2026, 2, 12)),
                ("status_changed", "concluded", date(2026, 10, 30)),
            ],
        )
        self.assertEqual(events[0].actor.email, "cora@example.org")
        self.assertEqual(partnership.started_on, date(2026, 2, 12))
        self.assertEqual(partnership.status_changed_at.date(), date(2026, 10, 30))
        # 20 pairs, and one pairing undone (Yasmin and Ethan) before Ethan was paired again.
        self.assertEqual(Event.objects.filter(action="partnership.created").count(), 21)

    def test_no_event_or_partnership_is_dated_after_the_storys_day(self):
        self.assertFalse(
            Event.objects.filter(action__startswith="partnership.", at__date__gt=STORY_DAY).exists()
        )
        self.assertFalse(Partnership.objects.filter(created_at__date__gt=STORY_DAY).exists())

    def test_it_prints_the_demo_accounts_table(self):
        lines = self.output.splitlines()
        self.assertIn("password for all: mentorpact-demo", lines[0])
        self.assertEqual(lines[1].split(), ["email", "name", "roles"])
        rows = {line.split()[0]: line for line in lines[3:]}
        self.assertIn("Cora Coordinator", rows["cora@example.org"])
        self.assertIn("coordinator (RED, ASPE, WHPRMS, Pilot, Remote)", rows["cora@example.org"])
        self.assertIn("mentor (RED", rows["mia@example.org"])
        self.assertIn("enrolled in nothing", rows["olive@example.org"])
        self.assertIn("superuser", rows["admin@example.org"])

    def test_a_second_run_changes_nothing(self):
        before = snapshot()
        output = run_load_demo()
        self.assertEqual(snapshot(), before)
        self.assertEqual(output, self.output)

    def user(self, email: str) -> User:
        return User.objects.get(email=email)


class LoadDemoOverExistingDataTest(BaseTestCase):
    def test_it_reuses_existing_accounts_without_touching_their_password(self):
        run_load_demo()
        self.cora.refresh_from_db()
        self.assertTrue(self.cora.check_password(PASSWORD))
        self.assertEqual(User.objects.filter(email="cora@example.org").count(), 1)
        self.assertEqual(
            Enrolment.objects.filter(user=self.cora, role=Enrolment.Role.COORDINATOR).count(), 6
        )


class AttachTemplatesTest(TestCase):
    def test_each_program_gets_the_built_in_template_made_from_its_own_form(self):
        run_load_demo()
        chosen = dict(Program.objects.values_list("name", "template_choice__template__slug"))
        self.assertEqual(chosen["RED Peer Mentoring Program"], "red-peer-mentoring")
        self.assertEqual(chosen["ASPE Mentoring Program"], "aspe-partnership")
        self.assertEqual(len(set(chosen.values())), 5)

    def test_a_program_keeps_the_template_it_already_has(self):
        run_load_demo()
        own = AgreementTemplate.objects.create(slug="rsp-2027", title="RSP's own form")
        ProgramTemplate.objects.filter(program__name="RED Peer Mentoring Program").update(
            template=own
        )
        run_load_demo()
        red = Program.objects.get(name="RED Peer Mentoring Program")
        self.assertEqual(chosen_template(red), own)


class DemoEvaluationTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        run_load_demo()

    def test_red_asked_its_open_pairs_and_four_answered_on_the_storys_days(self):
        evaluation = Evaluation.objects.get(title="Autumn check-in")
        self.assertEqual(evaluation.program.name, "RED Peer Mentoring Program")
        self.assertEqual(evaluation.rounds.count(), 3)  # the three open pairs
        self.assertEqual(Response.objects.filter(round__evaluation=evaluation).count(), 4)
        summary = evaluation_summary(evaluation, today=STORY_DAY)
        self.assertEqual((summary.asked, summary.answered), (6, 4))
        self.assertFalse(any(q.figure.shown for q in summary.questions))  # fewer than five
        self.assertFalse(
            Event.objects.filter(action__startswith="evaluation.", at__date__gt=STORY_DAY).exists()
        )
        run_load_demo()  # again: nothing added
        self.assertEqual(Response.objects.filter(round__evaluation=evaluation).count(), 4)

    def test_red_ran_its_autumn_lunch_and_the_pilot_names_its_safeguarding_contact(self):
        lunch = ProgramEvent.objects.get(title="Autumn networking lunch")
        self.assertTrue(lunch.required)
        attended = set(
            lunch.invitations.filter(attended=True).values_list("user__email", flat=True)
        )
        self.assertEqual(
            attended,
            {
                f"{n}@example.org"
                for n in ("aiko.tanaka", "amara.nwosu", "lucia.fernandez", "hannah.schmidt")
            },
        )
        notice = lunch.invitations.get(user__email="samuel.okafor@example.org")
        self.assertEqual((notice.answer, notice.attended), ("no", False))
        self.assertIn("lab section", notice.absence_reason)
        winter = ProgramEvent.objects.get(title="Winter networking function")
        self.assertIsNone(winter.invitations.filter(attended=True).first())
        self.assertEqual(winter.invitations.filter(answer="yes").count(), 1)
        pilot = Program.objects.get(name="University Mentoring Pilot")
        self.assertEqual(
            SafeguardingContact.objects.get(program=pilot).user.email, "fiona.macleod@example.org"
        )
        self.assertFalse(
            Event.objects.filter(action__startswith="event.", at__date__gt=STORY_DAY).exists()
        )
