"""Cora's dashboard: each figure counts the pairs the due rows and records say, each bar lists
exactly the pairs it counts, the filters narrow both, and a number about fewer than five
people is never shown."""

from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from mentorpact.dashboard import facts, selectors
from mentorpact.dashboard.models import PairFacts
from mentorpact.dashboard.selectors import Filters
from mentorpact.dashboard.tests.base import VIEWED, CohortTestCase
from mentorpact.evaluations.models import Response
from mentorpact.meetings.models import Meeting
from mentorpact.progress.models import ActionPlan, DueEntry


class DashboardTest(CohortTestCase):
    def numbers(self, figure: str, filters: Filters | None = None) -> dict[str, int | None]:
        found = selectors.dashboard(self.program, filters or Filters())
        return {n.key: n.shown for n in found.figure(figure).counts}

    def listed(self, figure: str, bar: str, **query) -> set[str]:
        response = self.client.get(
            reverse("dashboard:pairs", args=[self.program.public_id]),
            {"figure": figure, "bar": bar, **query},
        )
        self.assertEqual(response.status_code, 200)
        return {p.public_id for p in response.context["page"].object_list}

    def test_the_stages_count_every_pair_once_per_stage_it_reached(self):
        self.assertEqual(
            self.numbers("stage"),
            {
                "paired": 25,
                "drafting": 5,
                "signed": 20,
                "active": 10,
                "concluded": 5,
                "ended_early": 5,
            },
        )

    def test_signing_reads_overdue_from_the_due_rows(self):
        numbers = self.numbers("signing")
        self.assertEqual(numbers["on_time"], 15)
        self.assertEqual(numbers["late"], 5)
        overdue = DueEntry.objects.filter(
            program_id=self.program.pk,
            kind="agreement_due",
            done_at__isnull=True,
            overdue_on__lte=VIEWED.date(),
        )
        self.assertEqual(overdue.count(), 5)
        self.assertEqual(numbers["overdue"], 5)
        # A pair whose row is done (the rows say so) is no longer counted overdue, once its
        # fact row is read again (the services do it after each change; here the due row
        # was changed behind their back).
        first = self.cohort.groups["drafting"][0]
        overdue.filter(partnership=first).update(done_at=VIEWED)
        facts.refresh([first.pk])
        self.assertIsNone(self.numbers("signing")["overdue"])  # 4: fewer than 5

    def test_each_bar_lists_exactly_the_pairs_it_counts(self):
        drafting = {p.public_id for p in self.cohort.groups["drafting"]}
        self.assertEqual(self.listed("signing", "overdue"), drafting)
        self.assertEqual(self.listed("stage", "drafting"), drafting)
        late = {p.public_id for p in self.cohort.groups["late"]}
        self.assertEqual(self.listed("signing", "late"), late)
        self.assertEqual(len(self.listed("stage", "signed")), 20)

    def test_meetings_per_month_count_the_meetings_held(self):
        numbers = self.numbers("meetings")
        held = Meeting.objects.filter(partnership__program=self.program, status="held")
        self.assertEqual(held.count(), 56)  # 2, 3, 4, 2 and 3 for each group's signed pairs
        self.assertEqual(sum(v or 0 for v in numbers.values()), 56)
        self.assertEqual(len(numbers), selectors.MONTHS)
        self.assertEqual(list(numbers)[-1], "2027-03")

    def test_a_filter_narrows_every_figure_and_small_numbers_are_suppressed(self):
        physics = Filters(department="Physics")  # one pair of each group: 5 pairs
        numbers = self.numbers("stage", physics)
        self.assertEqual(numbers["paired"], 5)
        self.assertIsNone(numbers["drafting"])  # 1 pair
        self.assertIsNone(numbers["signed"])  # 4 pairs
        response = self.client.get(
            reverse("dashboard:page", args=[self.program.public_id]), {"department": "Physics"}
        )
        self.assertContains(response, "fewer than 5")
        self.assertNotContains(response, "figure=stage&amp;bar=drafting")

    def test_a_suppressed_bar_lists_nobody(self):
        response = self.client.get(
            reverse("dashboard:pairs", args=[self.program.public_id]),
            {"figure": "stage", "bar": "drafting", "department": "Physics"},
        )
        self.assertContains(response, "Fewer than 5 pairs: not listed")
        self.assertNotContains(response, "Mentor drafting 0")

    def test_plans_count_started_and_complete_plans(self):
        for p in self.cohort.groups["on_time"]:
            agreement = p.agreements.get()
            ActionPlan.objects.create(
                partnership=p, agreement=agreement, source_version=1, completed_at=VIEWED
            )
        # Written here without the services, which read the fact rows again after a change
        # (mentorpact/tests/test_dashboard_facts_agree.py plays plans through them).
        facts.refresh([p.pk for p in self.cohort.groups["on_time"]])
        numbers = self.numbers("plans")
        self.assertEqual(numbers["started"], 5)
        self.assertEqual(numbers["complete"], 5)
        self.assertEqual(numbers["not_started"], 5)  # the late ones, active without a plan

    def test_evaluations_count_answers_against_the_partners_asked_and_never_link(self):
        key = str(self.cohort.evaluation.public_id)
        found = selectors.dashboard(self.program, Filters()).figure("evaluations")
        (check_in,) = found.counts
        self.assertEqual((check_in.key, check_in.shown, check_in.of_shown), (key, 10, 40))
        # Fewer than five answers of five or more asked: the answers hidden, the asked not.
        Response.objects.filter(round__evaluation=self.cohort.evaluation).exclude(
            pk__in=Response.objects.filter(round__evaluation=self.cohort.evaluation).values("pk")[
                :4
            ]
        ).delete()
        (few,) = selectors.dashboard(self.program, Filters()).figure("evaluations").counts
        self.assertEqual((few.shown, few.of_shown, few.text), (None, 40, "fewer than 5"))
        # The evaluation's own page follows the same rule (lib.suppression): no count of one
        # to four, and so no rate.
        rates = self.client.get(reverse("evaluations:program", args=[self.program.public_id]))
        self.assertContains(rates, "<td>40</td><td>fewer than 5</td>")
        self.assertContains(rates, "<td>—</td>")  # and so no response rate
        self.assertFalse(found.linked)
        # One mentor's pairs: one answer of two asked, both suppressed (fewer than 5).
        mentor = self.cohort.groups["on_time"][0].mentor
        (narrowed,) = (
            selectors.dashboard(self.program, Filters(mentor=str(mentor.public_id)))
            .figure("evaluations")
            .counts
        )
        self.assertEqual(
            (narrowed.shown, narrowed.of_shown, narrowed.text), (None, None, "fewer than 5")
        )
        response = self.client.get(
            reverse("dashboard:pairs", args=[self.program.public_id]),
            {"figure": "evaluations", "bar": key},
        )
        self.assertEqual(response.status_code, 404)  # who answered is not the program's list

    def test_the_page_draws_each_chart_with_its_title_description_and_table(self):
        response = self.client.get(reverse("dashboard:page", args=[self.program.public_id]))
        for title in selectors.FIGURE_TITLES.values():
            self.assertContains(response, f">{escape(title)}</title>")
        self.assertContains(response, "<desc", count=len(selectors.FIGURE_TITLES))
        self.assertContains(response, "<table", count=len(selectors.FIGURE_TITLES))
        self.assertContains(response, "Paired: 25;")

    def test_an_unknown_bar_is_404(self):
        url = reverse("dashboard:pairs", args=[self.program.public_id])
        self.assertEqual(self.client.get(url, {"figure": "stage", "bar": "x"}).status_code, 404)
        self.assertEqual(
            self.client.get(url, {"figure": "events", "bar": "not-a-uuid"}).status_code, 404
        )

    def test_a_reversed_date_range_is_told_beside_its_field(self):
        response = self.client.get(
            reverse("dashboard:page", args=[self.program.public_id]),
            {"paired_from": "2027-02-01", "paired_to": "2027-01-01"},
        )
        self.assertContains(response, "Choose a day on or after")
        self.assertContains(response, 'value="2027-01-01"')

    def test_events_count_the_people_of_these_pairs_who_attended(self):
        (number,) = selectors.dashboard(self.program, Filters()).figure("events").counts
        self.assertEqual((number.shown, number.of_shown), (40, 50))
        listed = self.listed("events", str(self.cohort.event.public_id))
        self.assertEqual(len(listed), 20)
        self.assertNotIn(self.cohort.groups["drafting"][0].public_id, listed)

    def test_a_large_programs_mentor_filter_is_the_mentors_email(self):
        url = reverse("dashboard:page", args=[self.program.public_id])
        mentor = self.cohort.groups["on_time"][0].mentor
        self.assertContains(self.client.get(url), f'<option value="{mentor.public_id}"')
        with mock.patch.object(selectors, "MENTOR_CHOICES", 24):
            response = self.client.get(url, {"mentor": mentor.email.upper()})
            self.assertNotContains(response, f'<option value="{mentor.public_id}"')
            self.assertContains(response, "<strong>1</strong> pair match these filters")
            self.assertContains(response, f'value="{mentor.email.upper()}"')
            # A chart's link carries the public id: the same pairs.
            response = self.client.get(url, {"mentor": str(mentor.public_id)})
            self.assertContains(response, "<strong>1</strong> pair match these filters")
            response = self.client.get(url, {"mentor": "nobody@example.org"})
            self.assertContains(response, "No mentor of this program has this email address.")
            self.assertContains(response, "<strong>25</strong> pairs")

    def test_the_command_and_migrate_backfill_the_fact_rows(self):
        before = self.numbers("signing") | self.numbers("stage")
        kept = {
            row.pk: [getattr(row, name) for name in facts.FACTS]
            for row in PairFacts.objects.filter(program=self.program)
        }
        PairFacts.objects.all().delete()
        self.assertEqual(self.numbers("stage")["paired"], 0)
        out = StringIO()
        call_command("refresh_dashboard_facts", program=str(self.program.public_id), stdout=out)
        self.assertIn(f"{len(kept)} partnerships' dashboard facts written.", out.getvalue())
        self.assertEqual(self.numbers("signing") | self.numbers("stage"), before)
        again = {
            row.pk: [getattr(row, name) for name in facts.FACTS]
            for row in PairFacts.objects.filter(program=self.program)
        }
        self.assertEqual(again, kept)
        # After an upgrade, migrate fills an empty table once (post_migrate).
        PairFacts.objects.all().delete()
        self.assertEqual(facts.fill_if_empty(), len(kept))
        self.assertEqual(facts.fill_if_empty(), 0)
