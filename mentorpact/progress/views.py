"""The action plan, the midpoint check, the closing review, the thank-you note and the record.

All partner-only: each view starts with a partner selector (coordinator 403, outsider 404).
Forms post to real URLs and work without JavaScript; with htmx, a plan item's form swaps its
own card. A refused save renders the page again with what the person typed and the reason
beside it: nothing is lost.
"""

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.partnerships.selectors import PartnershipAccess
from mentorpact.progress import record, selectors, services, summary
from mentorpact.progress.forms import (
    ClosingForm,
    CommitmentForm,
    ConfirmClosingForm,
    MidpointForm,
    PlanItemForm,
    ThankYouForm,
    WithdrawClosingForm,
    add_service_errors,
)
from mentorpact.progress.models import ActionPlan, ClosingReview, PlanItem
from mentorpact.progress.selectors import PartnershipProgress

GET_POST = require_http_methods(["GET", "POST"])


def _progress(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> PartnershipProgress:
    return selectors.partnership_progress(
        access.partnership,
        role=access.role,
        viewer=request.user,
        with_meetings=False,
        with_due_facts=False,
    )


def _plan_url(code: UUID, anchor: str = "") -> str:
    return reverse("progress:plan", args=[code]) + (f"#{anchor}" if anchor else "")


# --- The action plan ------------------------------------------------------------------------


def _plan_context(
    request: AuthenticatedHttpRequest,
    access: PartnershipAccess,
    *,
    bound: dict[int, PlanItemForm] | None = None,
    errors: dict[int, str] | None = None,
) -> dict:
    """The plan page: every item with its form (the one being saved bound to what was typed)."""
    progress = _progress(request, access)
    bound = bound or {}
    rows = []
    for item in progress.items:
        form = bound.get(item.pk) or PlanItemForm.for_item(item)
        rows.append({"item": item, "form": form, "error": (errors or {}).get(item.pk, "")})
    editable = (
        bool(progress.plan)
        and access.partnership.is_open
        and not (
            progress.standing
            and selectors.confirmed_review(progress.reviews, progress.standing.agreement)
        )
    )
    return {
        "access": access,
        "partnership": access.partnership,
        "progress": progress,
        "rows": rows,
        "editable": editable,
        "goals_preview": summary.goals_preview(progress),
        "amended": summary.amended_since_plan(progress),
        "earlier_plans": summary.earlier_plans(access.partnership, progress.plan),
    }


@login_required
@require_GET
def plan(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = selectors.get_progress_for_partner(request.user, code)
    return render(request, "progress/plan.html", _plan_context(request, access))


def _refused(
    request: HttpRequest, code: UUID, error: services.ProgressError, anchor: str = ""
) -> HttpResponse:
    messages.error(request, error.message)
    return redirect(_plan_url(code, anchor))


@login_required
@require_POST
def start_plan(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = selectors.get_progress_for_partner(request.user, code)
    try:
        services.start_action_plan(partnership=access.partnership, actor=request.user)
    except services.ProgressError as error:
        return _refused(request, code, error)
    messages.success(request, "Your action plan is ready: add action steps and due dates.")
    return redirect(_plan_url(code))


def _on_the_plan(
    request: AuthenticatedHttpRequest, code: UUID, act: Callable[[ActionPlan], object], done: str
) -> HttpResponse:
    """Run `act(plan)` on the plan of the agreement in effect; back to the plan, saying how
    it went."""
    access = selectors.get_progress_for_partner(request.user, code)
    plan = selectors.plan_for(selectors.standing_agreement(access.partnership))
    try:
        if plan is None:
            raise services.ProgressError(services.NOT_SIGNED_MESSAGE)
        result = act(plan)
    except services.ProgressError as error:
        return _refused(request, code, error)
    messages.success(request, done.format(result=result))
    return redirect(_plan_url(code))


@login_required
@require_POST
def complete_plan(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    return _on_the_plan(
        request,
        code,
        lambda plan: services.complete_action_plan(plan=plan, actor=request.user),
        "The action plan is complete. Keep its progress up to date.",
    )


@login_required
@require_POST
def add_goals(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    return _on_the_plan(
        request,
        code,
        lambda plan: services.add_amended_goals(plan=plan, actor=request.user),
        "{result} goals of the amended agreement added to the plan.",
    )


@login_required
@GET_POST
def plan_item(request: AuthenticatedHttpRequest, code: UUID, item_id: UUID) -> HttpResponse:
    access, item = selectors.get_plan_item_for_partner(request.user, code, item_id)
    anchor = f"item-{item.public_id}"
    if request.method == "GET":
        return redirect(_plan_url(code, anchor))
    form = PlanItemForm.for_item(item, request.POST)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        changes = services.ItemChanges(
            status=data["status"],
            action_steps=data["action_steps"],
            measure=data["measure"],
            owner=data["owner"],
            owner_name=data["owner_name"],
            due_on=data["due_on"],
            progress_note=data["progress_note"],
        )
        try:
            item = services.update_plan_item(
                item=item, actor=request.user, changes=changes, based_on_version=data["version"]
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        except services.StaleEdit as stale:
            item, error = stale.current, stale.message
            # Keep what they typed, but base the next save on the partner's version.
            form = PlanItemForm.for_item(
                item, {**request.POST.dict(), form.add_prefix("version"): item.version}
            )
            form.is_valid()
        except services.ProgressError as refused:
            error = refused.message
        else:
            if request.htmx:
                return _item_fragment(request, access, item, PlanItemForm.for_item(item), "Saved.")
            messages.success(request, f"Saved: {item.source_label or 'the goal'}.")
            return redirect(_plan_url(code, anchor))
    if request.htmx:
        return _item_fragment(request, access, item, form, "", error)
    context = _plan_context(request, access, bound={item.pk: form}, errors={item.pk: error})
    return render(request, "progress/plan.html", context, status=200 if not error else 409)


def _item_fragment(
    request: HttpRequest,
    access: PartnershipAccess,
    item: PlanItem,
    form: PlanItemForm,
    saved: str = "",
    error: str = "",
) -> HttpResponse:
    context = {
        "access": access,
        "partnership": access.partnership,
        "row": {"item": item, "form": form, "error": error, "saved": saved},
        "editable": True,
    }
    return render(request, "progress/plan.html#plan-item", context)


@login_required
@require_POST
def commitment(request: AuthenticatedHttpRequest, code: UUID, commitment_id: UUID) -> HttpResponse:
    access, commitment = selectors.get_commitment_for_partner(request.user, code, commitment_id)
    form = CommitmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That change could not be read. Try again.")
        return redirect(_plan_url(code, "commitments"))
    try:
        services.set_commitment_done(
            commitment=commitment,
            actor=request.user,
            done=form.cleaned_data["done"],
            based_on_version=form.cleaned_data["version"],
        )
    except services.ProgressError as error:
        return _refused(request, code, error, "commitments")
    return redirect(_plan_url(code, "commitments"))


# --- The midpoint check ---------------------------------------------------------------------


@login_required
@GET_POST
def midpoint(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = selectors.get_progress_for_partner(request.user, code)
    progress = _progress(request, access)
    items = progress.live_items
    form = MidpointForm(request.POST or None, items=items)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.submit_midpoint_review(
                partnership=access.partnership,
                actor=request.user,
                answers=form.answers(),
                overall=data["overall"],
                change_course=data["change_course"],
                change_note=data["change_note"],
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        except services.ProgressError as refused:
            error = refused.message
        else:
            if review.amendment_number:
                messages.success(
                    request,
                    f"Thank you. An amendment (version {review.amendment_number}) is drafted: "
                    "change the goals there, and both sign it.",
                )
                return redirect(reverse("agreements:agreement", args=[code]))
            messages.success(request, "Thank you: your midpoint review is recorded.")
            return redirect(reverse("progress:midpoint", args=[code]))
    return render(
        request,
        "progress/midpoint.html",
        {
            "access": access,
            "partnership": access.partnership,
            "progress": progress,
            "form": form,
            "error": error,
            "reviews": summary.midpoint_answers(progress),
        },
    )


# --- Closing --------------------------------------------------------------------------------


def _closing_items(
    progress: PartnershipProgress, review: ClosingReview | None = None
) -> list[PlanItem]:
    """The goals the closing review rates (of the proposal's agreement, if one is open)."""
    if review is not None and progress.plan and review.agreement_id != progress.plan.agreement_id:
        return []
    return progress.live_items


def _closing_page(
    request: HttpRequest,
    access: PartnershipAccess,
    progress: PartnershipProgress,
    **forms: object,
) -> HttpResponse:
    proposal = progress.open_proposal
    return render(
        request,
        "progress/closing.html",
        {
            "access": access,
            "partnership": access.partnership,
            "progress": progress,
            "proposal": proposal,
            "mine": proposal is not None and proposal.proposed_role == access.role,
            "closing": progress.closing,
            "outcomes": summary.closing_outcomes(progress, proposal or progress.closing),
            **forms,
        },
    )


@login_required
@GET_POST
def closing(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = selectors.get_progress_for_partner(request.user, code)
    progress = _progress(request, access)
    proposal = progress.open_proposal
    items = _closing_items(progress)
    form = ClosingForm(request.POST or None, items=items)
    confirm_form = None
    if proposal is not None and proposal.proposed_role != access.role:
        confirm_form = ConfirmClosingForm(
            items=items, initial_outcomes=proposal.outcomes, initial={"version": proposal.version}
        )
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.propose_closing(
                partnership=access.partnership,
                actor=request.user,
                decision=data["decision"],
                outcomes=form.outcomes(),
                learning=data["learning"],
                outside_intervention=data["outside_intervention"],
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        except services.ProgressError as refused:
            error = refused.message
        else:
            notice = progress.rules.notice_days
            if data["decision"] == ClosingReview.Decision.END_EARLY and notice:
                messages.success(
                    request,
                    f"Notice given: the partnership ends in {notice} days, as your agreement "
                    "says. Your partner sees the date.",
                )
            elif data["decision"] == ClosingReview.Decision.END_EARLY:
                messages.success(request, "The partnership has ended. Its record stays here.")
            else:
                messages.success(request, "Proposed. Your partner confirms it and adds theirs.")
            return redirect(reverse("progress:closing", args=[code]))
    return _closing_page(
        request, access, progress, form=form, confirm_form=confirm_form, error=error
    )


@login_required
@require_POST
def confirm_closing(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = selectors.get_progress_for_partner(request.user, code)
    progress = _progress(request, access)
    proposal = progress.open_proposal
    if proposal is None:
        messages.error(
            request, "There is no closing proposal to confirm (it may have been withdrawn)."
        )
        return redirect(reverse("progress:closing", args=[code]))
    items = _closing_items(progress, proposal)
    confirm_form = ConfirmClosingForm(request.POST, items=items)
    error = ""
    if confirm_form.is_valid():
        data = confirm_form.cleaned_data
        try:
            review = services.confirm_closing(
                review=proposal,
                actor=request.user,
                based_on_version=data["version"],
                outcomes=confirm_form.outcomes(),
                learning=data["learning"],
            )
        except ValidationError as invalid:
            add_service_errors(confirm_form, invalid)
        except services.ProgressError as refused:
            error = refused.message
        else:
            messages.success(request, _confirmed_message(review))
            return redirect(reverse("progress:closing", args=[code]))
    return _closing_page(
        request,
        access,
        progress,
        form=ClosingForm(items=items),
        confirm_form=confirm_form,
        error=error,
    )


def _confirmed_message(review: ClosingReview) -> str:
    if review.decision == ClosingReview.Decision.CONTINUE:
        return (
            "Confirmed. A new agreement is drafted from this one: set your new goals and sign it."
        )
    return "Confirmed: the partnership is concluded. Its record stays here for you both."


@login_required
@require_POST
def withdraw_closing(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = selectors.get_progress_for_partner(request.user, code)
    progress = _progress(request, access)
    form = WithdrawClosingForm(request.POST)
    proposal = progress.open_proposal
    if proposal is not None and form.is_valid():
        try:
            services.withdraw_closing(
                review=proposal, actor=request.user, based_on_version=form.cleaned_data["version"]
            )
        except services.ProgressError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, "The proposal is withdrawn.")
    return redirect(reverse("progress:closing", args=[code]))


# --- Thank-you note and the record ----------------------------------------------------------


@login_required
@GET_POST
def thank_you(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = selectors.get_progress_for_partner(request.user, code)
    if access.role != "mentee":
        raise PermissionDenied("The mentee sends the thank-you note.")
    progress = _progress(request, access)
    draft = summary.thank_you_draft(progress)
    step = request.POST.get("step", "edit")
    form = ThankYouForm(request.POST or None, initial=draft)
    error = ""
    if request.method == "POST" and form.is_valid() and step == "send":
        try:
            services.send_thank_you(
                partnership=access.partnership,
                actor=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        except services.ProgressError as refused:
            error = refused.message
        else:
            messages.success(request, f"Sent to {access.partnership.mentor.full_name}.")
            return redirect(reverse("progress:closing", args=[code]))
    previewing = request.method == "POST" and step == "preview" and form.is_valid()
    return render(
        request,
        "progress/thank_you.html",
        {
            "access": access,
            "partnership": access.partnership,
            "progress": progress,
            "form": form,
            "previewing": previewing,
            "sent": summary.sent_thank_you(progress),
            "error": error,
        },
    )


@login_required
@require_GET
def record_zip(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = selectors.get_progress_for_partner(request.user, code)
    data = record.build_record(access.partnership, request.user)
    services.record_download(partnership=access.partnership, actor=request.user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{record.filename(access.partnership)}"'
    )
    return response
