"""The clearing statements (the namespace "clearing" is set by `cordee.clearing.urls`)."""

from django.urls import URLPattern, path

from cordee.clearing import views_statements

urlpatterns: list[URLPattern] = [
    path(
        "compensation/operations/<int:pk>/releve/<int:organisation_pk>.pdf",
        views_statements.statement,
        name="statement",
    ),
    path("compensation/operations/<int:pk>/releve-pole.pdf", views_statements.hub_statement, name="hub_statement"),
]
