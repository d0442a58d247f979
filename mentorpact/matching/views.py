from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mentorpact.accounts.models import User
from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.matching import selectors, services
from mentorpact.matching.forms import (
    DeclineForm,
    PairForm,
    ProfileForm,
    QuestionsForm,
    RankingForm,
)
from mentorpact.matching.questions import EXAMPLE, QuestionsError
from mentorpact.programs.models import Enrolment
from mentorpact.programs.selectors import get_program_for_coordinator


@login_required
@require_http_methods(["GET", "POST"])
def questions(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """The coordinator writes the program's intake questions as YAML; problems by line."""
    program = get_program_for_coordinator(request.user, program_id)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        form = QuestionsForm(request.POST)
        if form.is_valid():
            try:
                services.save_questions(
                    program=program, source=form.cleaned_data["source"], actor=request.user
                )
            except QuestionsError as error:
                problems = error.errors
                form.add_error("source", "The questions were not saved: see the problems below.")
            else:
                messages.success(request, "Intake questions saved.")
                return redirect("matching:questions", program.public_id)
        status = 400
    else:
        form = QuestionsForm(initial={"source": selectors.questions_source(program)})
    context = {
        "program": program,
        "form": form,
        "problems": problems,
        "example": EXAMPLE,
        "intake": selectors.intake(program),
    }
    return render(request, "matching/questions.html", context, status=status)


@login_required
def profiles(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """Who has filled their matching profile, the runs so far, and the button to run."""
    program = get_program_for_coordinator(request.user, program_id)
    rows = selectors.completion(program)
    context = {
        "program": program,
        "rows": rows,
        "missing": sum(1 for row in rows if not row.completed_at and not row.paired),
        "runs": selectors.runs(program),
        "intake": selectors.intake(program),
    }
    return render(request, "matching/profiles.html", context)


@login_required
@require_POST
def remind(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = get_program_for_coordinator(request.user, program_id)
    count = services.send_profile_reminders(program=program, actor=request.user)
    messages.success(
        request,
        f"Reminder sent to {count} {'person' if count == 1 else 'people'}."
        if count
        else "Everyone waiting has completed their profile.",
    )
    return redirect("matching:profiles", program.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """A mentor or mentee answers the program's intake questions."""
    enrolment = selectors.get_enrolment_for_person(
        request.user, program_id, request.GET.get("role") or None
    )
    program, role = enrolment.program, enrolment.role
    intake = selectors.intake(program)
    if not intake.asked_of(role):
        return redirect("home")
    saved = selectors.profile_of(program, request.user, role)
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, intake=intake, role=role)
        if form.is_valid():
            services.save_profile(
                program=program, user=request.user, role=role, answers=form.cleaned_data
            )
            messages.success(request, "Your answers are saved.")
            if role == Enrolment.Role.MENTEE and intake.rank_up_to:
                return redirect("matching:shortlist", program.public_id)
            return redirect("matching:profile", program.public_id)
        status = 400
    else:
        form = ProfileForm(initial=saved.answers if saved else {}, intake=intake, role=role)
    context = {"program": program, "role": role, "form": form, "intake": intake, "saved": saved}
    return render(request, "matching/profile.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def shortlist(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """A mentee sees the mentors who fit them and ranks up to the program's number."""
    enrolment = selectors.get_enrolment_for_person(request.user, program_id, Enrolment.Role.MENTEE)
    program = enrolment.program
    intake = selectors.intake(program)
    rows = selectors.shortlist(program, request.user)
    choices = [(str(row.user.public_id), row.user.display_name) for row in rows]
    initial = {f"place_{row.place}": str(row.user.public_id) for row in rows if row.place}
    status = 200
    if request.method == "POST":
        form = RankingForm(request.POST, choices=choices, up_to=intake.rank_up_to)
        if form.is_valid():
            try:
                services.rank_mentors(
                    program=program, mentee=request.user, mentor_ids=form.cleaned_data["ranking"]
                )
            except services.MatchingError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, "Your ranking is saved.")
                return redirect("matching:shortlist", program.public_id)
        status = 400
    else:
        form = RankingForm(initial=initial, choices=choices, up_to=intake.rank_up_to)
    context = {"program": program, "rows": rows, "form": form, "intake": intake}
    return render(request, "matching/shortlist.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mentees(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """A mentor sees the mentees waiting and may decline any of them."""
    enrolment = selectors.get_enrolment_for_person(request.user, program_id, Enrolment.Role.MENTOR)
    program = enrolment.program
    if request.method == "POST":
        form = DeclineForm(request.POST)
        mentee = None
        if form.is_valid():
            mentee = User.objects.filter(public_id=form.cleaned_data["mentee"]).first()
        if mentee is None:
            raise Http404
        try:
            services.set_decline(
                program=program,
                mentor=request.user,
                mentee=mentee,
                declined=form.cleaned_data["declined"],
            )
        except services.MatchingError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("matching:mentees", program.public_id)
    rows = selectors.mentees_for_mentor(program, request.user)
    return render(request, "matching/mentees.html", {"program": program, "rows": rows})


@login_required
@require_POST
def run(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = get_program_for_coordinator(request.user, program_id)
    match_run = services.run_match(program=program, actor=request.user)
    return redirect("matching:review", match_run.public_id)


def _review_context(match_run) -> dict:
    users = {
        str(user.public_id): user
        for user in User.objects.filter(
            public_id__in=[p["id"] for p in match_run.inputs.get("mentees", [])]
            + [p["id"] for p in match_run.inputs.get("mentors", [])]
        )
    }
    pairs = [
        {**pair, "mentor_user": users.get(pair["mentor"]), "mentee_user": users.get(pair["mentee"])}
        for pair in match_run.result.get("pairs", [])
    ]
    # A mentee who has not answered the questions is blocked by every must-match question:
    # say that first, as it is what the coordinator can act on.
    unanswered = {
        person["id"]
        for person in match_run.inputs.get("mentees", [])
        if not any(value not in (None, "", []) for value in person.get("answers", {}).values())
    }
    unmatched = [
        {
            **row,
            "user": users.get(row["mentee"]),
            "text": (
                f"Has not completed their matching profile. {row['text']}"
                if row["mentee"] in unanswered
                else row["text"]
            ),
        }
        for row in match_run.result.get("unmatched", [])
    ]
    ignored = [
        {"mentor": users.get(m), "mentee": users.get(e), "why": why}
        for m, e, why in match_run.result.get("ignored_pins", [])
    ]
    people = {
        role: sorted(
            (users[p["id"]] for p in match_run.inputs.get(role, []) if p["id"] in users),
            key=lambda user: user.full_name,
        )
        for role in ("mentors", "mentees")
    }
    return {"pairs": pairs, "unmatched": unmatched, "ignored": ignored, **people}


@login_required
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedHttpRequest, run_id: UUID) -> HttpResponse:
    """The draft pairing: each pair's score by question; pin, forbid, re-run, publish."""
    match_run = selectors.get_run_for_coordinator(request.user, run_id)
    program = match_run.program
    status = 200
    if request.method == "POST":
        form = PairForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            mentor = User.objects.filter(public_id=data["mentor"]).first()
            mentee = User.objects.filter(public_id=data["mentee"]).first()
            if mentor is None or mentee is None:
                raise Http404
            try:
                services.set_pair_rule(
                    program=program,
                    mentor=mentor,
                    mentee=mentee,
                    kind=None if data["action"] == "clear" else data["action"],
                    actor=request.user,
                )
            except services.MatchingError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, "Saved for the next run: run the match again to apply it."
                )
            return redirect("matching:review", match_run.public_id)
        status = 400
    rules = selectors.pair_rules(program)
    context = {
        "program": program,
        "run": match_run,
        "rules": rules,
        "latest": selectors.runs(program)[0].pk == match_run.pk,
        **_review_context(match_run),
    }
    # A pair pinned for the next run offers "Unpin", one forbidden "Allow" (the rule cleared).
    kinds = {(str(r.mentor.public_id), str(r.mentee.public_id)): r.kind for r in rules}
    for pair in context["pairs"]:
        pair["rule"] = kinds.get((pair["mentor"], pair["mentee"]))
    return render(request, "matching/review.html", context, status=status)


@login_required
@require_POST
def publish(request: AuthenticatedHttpRequest, run_id: UUID) -> HttpResponse:
    match_run = selectors.get_run_for_coordinator(request.user, run_id)
    try:
        count = services.publish_run(run=match_run, actor=request.user)
    except services.MatchingError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("matching:review", match_run.public_id)
    messages.success(request, f"Published {count} pairs: each person has been emailed.")
    return redirect("matching:profiles", match_run.program.public_id)
