"""An organisation's data as one ZIP, in the admin: for those who answer for it (`organisations_exportable_by`).

404 for an id that names no organisation, 403 for someone who may not download it; the archive itself is
`directory/exports/organisation_archive.py`.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.viewsets.base import ViewSet

from casi_workspace.core.errors import permission_denied
from casi_workspace.core.request_values import checked_id
from casi_workspace.directory.exports.organisation_archive import organisation_archive_response
from casi_workspace.organisations.models import OrganisationPage
from casi_workspace.workspaces.services.teams import user_can_export_organisation

URL_NAME = "casi_organisation_data:download"


@require_safe
@never_cache
def organisation_data(request: HttpRequest, page_id: int) -> HttpResponse:
    organisation = OrganisationPage.objects.filter(pk=checked_id(page_id)).first()
    if organisation is None:
        raise Http404(_("This organisation does not exist."))
    if not user_can_export_organisation(request.user, organisation):
        return permission_denied(request)
    return organisation_archive_response(organisation, request)


class OrganisationDataMenuItem(PageMenuItem):
    """ "Download the organisation's data (ZIP)" among an organisation page's actions in the explorer."""

    label = gettext_lazy("Download the organisation's data (ZIP)")
    icon_name = "download"
    url_name = URL_NAME
    priority = 90

    def is_shown(self, user) -> bool:
        page_class = self.page.specific_class
        return (
            page_class is not None
            and issubclass(page_class, OrganisationPage)
            and user_can_export_organisation(user, self.page)
        )


class OrganisationDataViewSet(ViewSet):
    """The download, at /admin/casi_workspace/organisations/<page id>/data/; linked from the "My organisation"
    panel and list, and from the organisation's page in the explorer."""

    name = "casi_organisation_data"
    url_prefix = "casi_workspace/organisations"

    def get_urlpatterns(self) -> list[URLPattern]:
        return [path("<int:page_id>/data/", organisation_data, name="download")]
