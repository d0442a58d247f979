"""The coordinator's overview reads each partnership against its agreement's terms: the
agreement's state and due date, contact against the program's minimum, the next step due.
Today is the demo's day, 23 November 2026 (progress.tests.base.TODAY)."""

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.test import override_settings
from django.urls import reverse

from mentorpact.agreements import services as agreement_services
from mentorpact.agreements.models import Agreement
from mentorpact.meetings.models import Meeting
from mentorpact.partnerships.models import Partnership
from mentorpact.partnerships.signals import changed
from mentorpact.progress.tests.base import CONTENT, TODAY, ProgressTestCase, sign_agreement

HTMX_LIST = {"HX-Request": "true", "HX-Target": "partnership-list"}


class ProgramOverviewHealthTestCase(ProgressTestCase):
    slug = "red-peer-mentoring"  # RED: contact at least once a month, action plan by meeting 2

    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("programs:overview", args=[self.program.public_id])
        self.sign_in(self.cora)

    def held(self, partnership, days_ago: int) -> Meeting:
        meeting = Meeting.objects.create(
            partnership=partnership,
            status=Meeting.Status.HELD,
            starts_at=TODAY - timedelta(days=days_ago),
            time_zone="UTC",
            duration_minutes=60,
            held_minutes=60,
            recorded_at=TODAY - timedelta(days=days_ago),
            mode="face_to_face",
            mode_label="Face to face",
            organiser=partnership.mentee,
        )
        changed(partnership)  # written here, not through the meetings app: announce it
        return meeting

    def page(self, query: str = "", **kwargs) -> str:
        response = self.client.get(f"{self.url}{query}", **kwargs)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_draft_past_its_due_date_shows_overdue_since_that_date(self):
        agreement_services.start_agreement(partnership=self.partnership, actor=self.mia)
        Agreement.objects.filter(partnership=self.partnership).update(due_on=date(2026, 11, 1))
        changed(self.partnership)
        content = self.page()
        self.assertIn('Drafting<br><span class="flag">OVERDUE since 1 Nov 2026</span>', content)
        self.assertIn("<strong>1</strong> overdue agreement ·", content)

    def test_a_draft_before_its_due_date_shows_the_date(self):
        agreement_services.start_agreement(partnership=self.partnership, actor=self.mia)
        content = self.page()
        self.assertIn('Drafting<br><span class="meta">due 23 Feb 2027</span>', content)
        self.assertNotIn("OVERDUE", content)
        self.assertIn("<strong>0</strong> overdue agreements", content)

    def test_a_partnership_without_an_agreement_is_not_started(self):
        self.assertIn('Not started<br><span class="meta">due 23 Feb 2027</span>', self.page())

    def test_an_agreement_signed_after_its_due_date_is_marked_late(self):
        # The pair's own date (fixed when they were paired) is the one the signature is held to.
        Partnership.objects.filter(pk=self.partnership.pk).update(
            agreement_due_on=date(2026, 8, 20)
        )
        self.partnership.refresh_from_db()
        self.sign()  # on 1 September 2026
        self.assertIn('Signed 1 Sep 2026 <span class="flag">late</span>', self.page())

    def test_an_agreement_signed_in_time_is_not_marked_late(self):
        self.sign()
        content = self.page()
        self.assertIn("Signed 1 Sep 2026</td>", content)
        self.assertNotIn(">late<", content)

    def test_forty_days_without_contact_is_flagged_under_a_monthly_rule(self):
        self.sign()
        self.held(self.partnership, days_ago=40)
        content = self.page()
        self.assertIn('<span class="flag">No contact for 40 days</span>', content)
        self.assertIn('<span class="meta">Last 14 Oct 2026</span>', content)
        self.assertIn("<strong>1</strong> partnership with no recent contact", content)

    def test_twenty_days_without_contact_is_not_flagged(self):
        self.sign()
        self.held(self.partnership, days_ago=20)
        content = self.page()
        self.assertNotIn("No contact for", content)
        self.assertIn('<span class="meta">Last 3 Nov 2026</span>', content)
        self.assertIn("<strong>0</strong> partnerships with no recent contact", content)

    def test_it_shows_the_next_step_due_by_the_terms(self):
        self.sign()
        self.held(self.partnership, days_ago=5)
        # RED: the action plan is due by the end of the second meeting; one is held.
        self.assertIn("Action plan due by the end of meeting 2", self.page())

    def test_it_shows_no_goal_or_other_partner_text(self):
        self.sign()
        content = self.page()
        for text in ("Submit my first federal grant proposal", "Monthly, in person"):
            self.assertNotIn(text, content)

    def test_needs_attention_lists_only_overdue_partnerships(self):
        self.sign()
        self.held(self.partnership, days_ago=40)
        quiet, fine = self.add_mentees(2)
        sign_agreement(quiet, CONTENT[self.slug])
        self.held(quiet, days_ago=20)
        content = self.page("?status=attention")
        self.assertIn('<option value="attention" selected>Needs attention (1)</option>', content)
        self.assertIn("<td>Theo Mentee</td>", content)
        self.assertNotIn(f"<td>{quiet.mentee.full_name}</td>", content)
        self.assertNotIn(f"<td>{fine.mentee.full_name}</td>", content)

    def test_needs_attention_works_as_an_htmx_fragment(self):
        content = self.page("?status=attention", headers=HTMX_LIST).strip()
        self.assertTrue(content.startswith('<div id="partnership-list">'), content[:80])
        self.assertIn("No partnership needs attention.", content)

    @override_settings(PAGE_SIZE=100)
    def test_its_query_count_is_the_same_for_5_and_40_partnerships(self):
        # Signed agreements, plans and held meetings make every batch query return rows. With
        # a template the totals also read its latest version (one aggregate over the due rows
        # counts every kind).
        self.sign()
        self.held(self.partnership, days_ago=40)
        for partnership in self.add_mentees(4):
            sign_agreement(partnership, CONTENT[self.slug])
            self.held(partnership, days_ago=3)
        with self.assertNumQueries(13):  # issue 18: was 17
            content = self.page()
        self.assertEqual(content.count("<tr>") - 1, 5)

        for partnership in self.add_mentees(35):
            sign_agreement(partnership, CONTENT[self.slug])
            self.held(partnership, days_ago=40)
        self.assertEqual(Partnership.objects.filter(status="active").count(), 40)
        with self.assertNumQueries(13):  # issue 18: was 17
            content = self.page()
        self.assertEqual(content.count("<tr>") - 1, 40)
        self.assertIn("<strong>36</strong> partnerships with no recent contact", content)

    def test_the_totals_in_sql_name_the_same_partnerships_as_the_rows(self):
        # workspace.selectors.attention_querysets restates rules of progress.due_next in
        # SQL; both must pick the same partnerships.
        self.sign()
        self.held(self.partnership, days_ago=40)
        late, recent, drafting = self.add_mentees(3)
        for partnership in (late, recent):
            sign_agreement(partnership, CONTENT[self.slug])
        self.held(late, days_ago=33)
        self.held(recent, days_ago=3)
        agreement_services.start_agreement(partnership=drafting, actor=self.mia)
        Agreement.objects.filter(partnership=drafting).update(due_on=date(2026, 11, 1))
        changed(drafting)

        from mentorpact.workspace import selectors

        shown = list(Partnership.objects.filter(program=self.program))
        health = selectors.program_health(self.program, shown).by_partnership
        attention = selectors.attention_querysets(self.program)
        overdue, no_contact = attention.overdue_agreements, attention.no_contact
        self.assertEqual(
            {pk for pk, h in health.items() if h.agreement_overdue},
            set(overdue.values_list("pk", flat=True)),
        )
        self.assertEqual(
            {pk for pk, h in health.items() if h.contact_overdue},
            set(no_contact.values_list("pk", flat=True)),
        )
        self.assertEqual(
            set(no_contact.values_list("pk", flat=True)), {self.partnership.pk, late.pk}
        )
        self.assertEqual(set(overdue.values_list("pk", flat=True)), {drafting.pk})

    def test_an_overdue_first_meeting_is_counted_in_sql_as_in_the_rows(self):
        # RED: the first meeting within 4 weeks of the kick-off (15 January 2027): 12 February.
        met, waiting = self.add_mentees(2)
        self.held(met, days_ago=1)
        from mentorpact.workspace import selectors

        with time_machine.travel(datetime(2027, 2, 20, 12, tzinfo=UTC), tick=False):
            shown = list(Partnership.objects.filter(program=self.program))
            health = selectors.program_health(self.program, shown)
            ids = selectors.attention_querysets(self.program).first_meeting
            self.client.force_login(self.cora)  # the session of TODAY has expired by then
            content = self.page()
            attention = set(selectors.needing_attention(self.program).values_list("pk", flat=True))

        overdue = {pk for pk, h in health.by_partnership.items() if h.first_meeting_overdue}
        self.assertEqual(overdue, {self.partnership.pk, waiting.pk})
        self.assertEqual(set(ids.values_list("pk", flat=True)), overdue)
        self.assertEqual(health.first_meeting_overdue, 2)
        self.assertTrue(overdue <= attention)
        self.assertIn("<strong>2</strong> first meetings overdue", content)
        # Before its date nothing is overdue, and the count says so.
        self.assertIn("<strong>0</strong> first meetings overdue", self.page())
