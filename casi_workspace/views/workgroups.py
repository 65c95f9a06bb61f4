"""Placeholder: the working groups' membership views (being written)."""

from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


join = leave = invitation_accept = notifications = members = invite = member_action = _todo
