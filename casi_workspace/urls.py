"""URLs of the plugin: include them once in the host site, e.g. `path("casi/", include("casi_workspace.urls"))`."""

from django.urls import path

from casi_workspace.core.views import health, theme
from casi_workspace.exchange import views as exchange
from casi_workspace.members import views as members
from casi_workspace.newsletter.views import public as newsletter
from casi_workspace.publications.views import proposals
from casi_workspace.registrations import views as registrations
from casi_workspace.support import views as support
from casi_workspace.workgroups.views import groups as workgroups
from casi_workspace.workgroups.views import library
from casi_workspace.workspaces.views import teams

app_name = "casi_workspace"
EVENT_REGISTRATIONS = "inscriptions/evenements/<int:event_id>/"  # an event's registrations, for its organisers

urlpatterns = [
    path("sante/", health.health, name="health"),
    path("theme.css", theme.theme_stylesheet, name="theme_css"),
    path("mon-espace/", members.member_space, name="member_space"),
    path("mon-espace/mes-donnees/", members.member_data, name="member_data"),
    path("mon-espace/supprimer-mon-compte/", members.member_account_delete, name="member_account_delete"),
    path("invitation/<str:token>/", teams.invitation, name="invitation"),
    path("proposer/actualite/", proposals.propose_news, name="propose_news"),
    path("proposer/evenement/", proposals.propose_event, name="propose_event"),
    # The newsletter's email links.
    path("lettre/confirmer/<str:token>/", newsletter.confirm, name="newsletter_confirm"),
    path("lettre/preferences/<str:token>/", newsletter.preferences, name="newsletter_preferences"),
    path("lettre/desinscription/<str:token>/", newsletter.unsubscribe, name="newsletter_unsubscribe"),
    # Registrations on events: the emails' links, and the organisers' pages.
    path("inscriptions/annuler/<str:token>/", registrations.registration_cancel_view, name="registration_cancel"),
    path("inscriptions/confirmer/<str:token>/", registrations.registration_offer_view, name="registration_offer"),
    path(EVENT_REGISTRATIONS, registrations.registrations_manage, name="registrations_manage"),
    path(f"{EVENT_REGISTRATIONS}export/<str:fmt>/", registrations.registrations_export, name="registrations_export"),
    path(f"{EVENT_REGISTRATIONS}pointage/", registrations.registrations_check_in, name="registrations_check_in"),
    path(
        f"{EVENT_REGISTRATIONS}emargement.pdf",
        registrations.registrations_sign_in_sheet,
        name="registrations_sign_in_sheet",
    ),
    path(f"{EVENT_REGISTRATIONS}badges.pdf", registrations.registrations_badges, name="registrations_badges"),
    path(f"{EVENT_REGISTRATIONS}programme/", registrations.registrations_programme, name="registrations_programme"),
    path(
        f"{EVENT_REGISTRATIONS}programme/<str:kind>/<int:item_id>/",
        registrations.registrations_programme_item,
        name="registrations_programme_item",
    ),
    # Support requests: the public form, and the requester's emailed link.
    path("agenda-des-reseaux/", exchange.partner_agenda, name="partner_agenda"),
    path("accompagnement/demander/", support.support_request_form, name="support_request"),
    path("accompagnement/suivi/<str:token>/", support.support_follow, name="support_follow"),
    path(
        "accompagnement/suivi/<str:token>/documents/<int:attachment_id>/",
        support.support_follow_attachment,
        name="support_follow_attachment",
    ),
    path("accompagnement/suivi/<str:token>/effacer/", support.support_follow_erase, name="support_follow_erase"),
    # Working groups: membership.
    path("groupes/<int:group_id>/rejoindre/", workgroups.join, name="group_join"),
    path("groupes/<int:group_id>/quitter/", workgroups.leave, name="group_leave"),
    path("groupes/<int:group_id>/invitation/accepter/", workgroups.invitation_accept, name="group_invitation_accept"),
    path("groupes/<int:group_id>/notifications/", workgroups.notifications, name="group_notifications"),
    path("groupes/<int:group_id>/membres/", workgroups.members, name="group_members"),
    path("groupes/<int:group_id>/membres/inviter/", workgroups.invite, name="group_invite"),
    path(
        "groupes/<int:group_id>/membres/<int:membership_id>/<str:action>/",
        workgroups.member_action,
        name="group_member_action",
    ),
    # Working groups: the document library.
    path("groupes/<int:group_id>/documents/envoyer/", library.upload, name="group_upload"),
    path("groupes/<int:group_id>/dossiers/ajouter/", library.folder_create, name="group_folder_create"),
    path("groupes/dossiers/<int:folder_id>/renommer/", library.folder_rename, name="group_folder_rename"),
    path("groupes/pages/<int:page_id>/deplacer/", library.move, name="group_page_move"),
    path("groupes/pages/<int:page_id>/supprimer/", library.delete, name="group_page_delete"),
    path("groupes/pages/<int:page_id>/publier/", library.publish, name="group_page_publish"),
    path("groupes/documents/<int:page_id>/telecharger/", library.download, name="group_document_download"),
    path("groupes/documents/<int:page_id>/remplacer/", library.replace, name="group_document_replace"),
    path(
        "groupes/documents/<int:page_id>/restaurer/<int:revision_id>/",
        library.restore,
        name="group_document_restore",
    ),
]
