from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


agreement = sign = give_consent = withdraw_consent = amend = history = version = _todo
version_pdf = verify = _todo
