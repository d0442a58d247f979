"""Evaluations: the coordinators' list and form editor, an evaluation's rates and aggregates
(suppressed under MIN_GROUP respondents) and closing it; a partner's own evaluations and the
answer page. Each view starts with a scoped selector."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorpact.evaluations import form as evaluation_form
from mentorpact.evaluations import selectors, services
from mentorpact.evaluations.forms import AnswerForm, SourceForm, place_errors
from mentorpact.evaluations.services import EvaluationError
from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.programs.selectors import get_program_for_coordinator

GET_POST = require_http_methods(["GET", "POST"])


@login_required
@GET_POST
def program_evaluations(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = get_program_for_coordinator(request.user, program_id)
    form = SourceForm(request.POST or None, initial={"source": evaluation_form.EXAMPLE})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_evaluation(
                program=program, actor=request.user, source=form.cleaned_data["source"]
            )
        except EvaluationError as error:
            place_errors(form, error)
        else:
            messages.success(request, "Evaluation created: each pair is asked as it says.")
            return redirect("evaluations:summary", created.public_id)
    return render(
        request,
        "evaluations/program.html",
        {"program": program, "form": form, "evaluations": selectors.program_summary(program)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def summary(request: AuthenticatedHttpRequest, evaluation_id: UUID) -> HttpResponse:
    evaluation = selectors.get_evaluation_for_coordinator(request.user, evaluation_id)
    role = request.GET.get("role", "")
    return render(
        request,
        "evaluations/summary.html",
        {
            "program": evaluation.program,
            "evaluation": evaluation,
            "summary": selectors.evaluation_summary(evaluation, role=role),
        },
    )


@login_required
@GET_POST
def edit(request: AuthenticatedHttpRequest, evaluation_id: UUID) -> HttpResponse:
    evaluation = selectors.get_evaluation_for_coordinator(request.user, evaluation_id)
    form = SourceForm(
        request.POST or None,
        initial={"source": evaluation.source, "version": evaluation.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_evaluation(
                evaluation=evaluation,
                actor=request.user,
                source=form.cleaned_data["source"],
                version=form.cleaned_data["version"] or 0,
            )
        except EvaluationError as error:
            place_errors(form, error)
        else:
            messages.success(request, "Evaluation saved.")
            return redirect("evaluations:summary", evaluation.public_id)
    return render(
        request,
        "evaluations/edit.html",
        {"program": evaluation.program, "evaluation": evaluation, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def close(request: AuthenticatedHttpRequest, evaluation_id: UUID) -> HttpResponse:
    evaluation = selectors.get_evaluation_for_coordinator(request.user, evaluation_id)
    try:
        services.close_evaluation(evaluation=evaluation, actor=request.user)
    except EvaluationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Evaluation closed: no more answers are taken.")
    return redirect("evaluations:summary", evaluation.public_id)


@login_required
@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "evaluations/mine.html",
        {"rounds": selectors.rounds_for(request.user), "today": timezone.localdate()},
    )


@login_required
@GET_POST
def answer(
    request: AuthenticatedHttpRequest, evaluation_id: UUID, code: UUID, key: str
) -> HttpResponse:
    asked = selectors.get_round_for_respondent(request.user, evaluation_id, code, key)
    form = _answer_form(asked, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.answer(
                    asked=asked,
                    user=request.user,
                    answers=form.answers(),
                    version=form.cleaned_data["version"],
                )
            except EvaluationError as error:
                if error.conflict:
                    # The saved answers win: shown again, with their version, and the message.
                    status = 409
                    messages.error(request, error.message)
                    asked = selectors.get_round_for_respondent(
                        request.user, evaluation_id, code, key
                    )
                    form = _answer_form(asked, None)
                else:
                    place_errors(form, error)
            else:
                messages.success(
                    request,
                    "Thank you: your answers are saved. You may change them until "
                    f"{asked.round.closes_on:%-d %B %Y}.",
                )
                return redirect(
                    "evaluations:answer", asked.evaluation.public_id, code, asked.round.key
                )
    return render(
        request,
        "evaluations/answer.html",
        {
            "asked": asked,
            "form": form,
            "state": asked.state(timezone.localdate()),
            "response": asked.response,
        },
        status=status,
    )


def _answer_form(asked: selectors.Asked, data) -> AnswerForm:
    saved = asked.response
    initial: dict = {"version": saved.version if saved else None}
    if saved:
        initial |= {f"q_{k}": v for k, v in saved.answers.items()}
    return AnswerForm(asked.form.questions, data, initial=initial)
