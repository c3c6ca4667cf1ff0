"""The treasury's documents (the namespace "treasury" is set by `cordee.treasury.urls`)."""

from django.urls import path, re_path

from cordee.treasury.views import documents

urlpatterns: list = [
    path("tresorerie/avances/<int:pk>/convention.pdf", documents.advance_agreement, name="advance_agreement"),
    path("tresorerie/avances/<int:pk>/echeancier.pdf", documents.advance_schedule, name="advance_schedule"),
    path("tresorerie/avances/<int:pk>/proces-verbal.pdf", documents.decision_minute, name="decision_minute"),
    path("tresorerie/apports/<int:pk>/attestation.pdf", documents.deposit_attestation, name="deposit_attestation"),
    path("tresorerie/apports/<int:pk>/fichiers/<slug:which>/", documents.deposit_file, name="deposit_file"),
    path("tresorerie/avances/<int:pk>/notification/", documents.advance_notification, name="advance_notification"),
    path(
        "tresorerie/avances/<int:pk>/pieces/<int:attachment_pk>/",
        documents.advance_attachment,
        name="advance_attachment",
    ),
    path("tresorerie/organisations/<int:org_pk>/releve.pdf", documents.member_statement, name="member_statement"),
    # One name for both formats: reverse("treasury:yearly_agreements", args=[2026, "pdf"]) or "csv".
    re_path(
        r"^tresorerie/conventions/(?P<year>[0-9]{4})\.(?P<fmt>pdf|csv)$",
        documents.yearly_agreements,
        name="yearly_agreements",
    ),
]
