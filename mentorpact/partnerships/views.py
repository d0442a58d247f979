from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorpact.partnerships import selectors
from mentorpact.programs.selectors import programs_coordinated_by


@login_required
@require_GET
def my_partnerships(request):
    partnerships = list(selectors.partnerships_for_user(request.user))
    for partnership in partnerships:
        partnership.my_role = partnership.role_of(request.user)
        partnership.partner = partnership.partner_of(request.user)
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
def partnership_detail(request, code):
    access = selectors.get_partnership_for_user(request.user, code)
    return render(
        request,
        "partnerships/detail.html",
        {
            "access": access,
            "partnership": access.partnership,
            "events": selectors.partnership_events(access.partnership),
        },
    )
