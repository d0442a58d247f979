from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.partnerships import selectors
from mentorpact.programs.selectors import programs_coordinated_by
from mentorpact.progress import selectors as progress_selectors


@login_required
@require_GET
def my_partnerships(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    # Each partnership with the viewer's role in it and the partner on the other side.
    partnerships = [
        (p, p.role_of(user), p.partner_of(user)) for p in selectors.partnerships_for_user(user)
    ]
    return render(
        request,
        "partnerships/my_partnerships.html",
        {
            "partnerships": partnerships,
            "programs": programs_coordinated_by(request.user),
        },
    )


@login_required
@require_GET
def partnership_detail(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    access = selectors.get_partnership_for_user(request.user, code)
    partnership = access.partnership
    # Plan, midpoint, closing and what is due next; the timeline merges every app's entries.
    progress = progress_selectors.partnership_progress(
        partnership, role=access.role, viewer=request.user
    )
    return render(
        request,
        "partnerships/detail.html",
        {
            "access": access,
            "partnership": partnership,
            "progress": progress,
            "due": progress.due(),
            "timeline": progress_selectors.timeline_entries(
                partnership, role=access.role, meetings=progress.meetings
            ),
        },
    )
