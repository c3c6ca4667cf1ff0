from django.urls import path

from cordee.network import views

app_name = "network"

urlpatterns = [
    path("annuaire/", views.directory, name="directory"),
    path("annuaire/carte/", views.directory_map, name="map"),
    path("annuaire/export.<str:fmt>", views.directory_export, name="export"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/modifier/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/personnes/", views.organisation_people, name="organisation_people"),
    path("organisations/<slug:slug>/personnes/<int:pk>/", views.affiliation_change, name="affiliation_change"),
    path("adherer/", views.apply, name="apply"),
    path("adherer/merci/", views.apply_done, name="apply_done"),
    path("reseau/candidatures/", views.applications, name="applications"),
    path("reseau/candidatures/<int:pk>/", views.application_detail, name="application"),
    path("reseau/adhesions/", views.memberships, name="memberships"),
    path("reseau/adhesions/<int:pk>/", views.membership_detail, name="membership"),
    path("reseau/import/", views.import_organisations, name="import"),
]
