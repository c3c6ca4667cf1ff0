"""The reporting pages (namespace "reporting"): dashboards, highlights, the activity report, open data."""

from django.urls import path

from cordee.reporting import views, views_opendata

app_name = "reporting"

urlpatterns: list = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path(
        "tableau-de-bord/structures/<int:organisation_id>/",
        views.organisation_dashboard,
        name="organisation_dashboard",
    ),
    path("tableau-de-bord/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("tableau-de-bord/rapport.xlsx", views.report_xlsx, name="report_xlsx"),
    path("tableau-de-bord/faits-marquants/nouveau/", views.highlight_create, name="highlight_create"),
    path("tableau-de-bord/faits-marquants/<int:pk>/", views.highlight_edit, name="highlight_edit"),
    path("tableau-de-bord/faits-marquants/<int:pk>/supprimer/", views.highlight_delete, name="highlight_delete"),
    path("tableau-de-bord/faits-marquants/<int:pk>/image", views.highlight_picture, name="highlight_picture"),
    path("donnees-ouvertes/", views_opendata.index, name="opendata"),
    path("donnees-ouvertes/<slug:dataset>.csv", views_opendata.dataset_csv, name="opendata_csv"),
    path("donnees-ouvertes/<slug:dataset>.json", views_opendata.dataset_json, name="opendata_json"),
    path("donnees-ouvertes/<slug:dataset>.schema.json", views_opendata.dataset_schema, name="opendata_schema"),
]
