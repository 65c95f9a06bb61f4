"""Working groups' pages answer outsiders with a 404, as an address that names nothing; no login loop."""

from __future__ import annotations

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from wagtail.models import PageViewRestriction

from casi_workspace.workgroups.selectors import group_invitation_of, page_in_working_group


def _refused_by_a_group_restriction(page, request) -> bool:
    return any(
        restriction.restriction_type == PageViewRestriction.GROUPS and not restriction.accept_request(request)
        for restriction in page.get_view_restrictions()
    )


def refuse_signed_in_outsiders(callback):
    """Answer those a group restriction refuses before Wagtail does (it would redirect to the login page).

    A secret working group's page, and every page of any group's library, answers whoever may not read it
    (visitor or signed-in) with the site's own 404, exactly as an unknown address: a 403 or a login redirect
    would confirm that it exists (the 404 page offers visitors a sign-in link, whatever the address). The
    person invited to a secret group sees the invitation on its page. Other group-restricted pages keep a
    403 page that says why for signed-in people (Wagtail's login page would loop), and Wagtail's login page
    for visitors. Registered for Wagtail's `on_serve_page` hook.
    """

    def inner(page, request, serve_args, serve_kwargs):
        if not request.user.is_authenticated:
            response = callback(page, request, serve_args, serve_kwargs)
            # Wagtail answers a refused visitor with a redirect to its login page: only a redirect is checked,
            # so that open pages cost no query more.
            refused = response.status_code == 302 and _refused_by_a_group_restriction(page, request)
            if refused and page_in_working_group(page):
                raise Http404
            return response
        if not request.user.is_superuser and _refused_by_a_group_restriction(page, request):
            invitation = group_invitation_of(request.user, page)
            if invitation is None and page_in_working_group(page):
                raise Http404
            response = TemplateResponse(
                request,
                "casi_workspace/pages/group_forbidden.html",
                {"page": page, "invitation": invitation},
                status=200 if invitation else 403,
            )
            add_never_cache_headers(response)
            return response
        return callback(page, request, serve_args, serve_kwargs)

    return inner
