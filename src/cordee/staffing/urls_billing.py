"""The re-invoicing, reports and documents of shared staff (the namespace "staffing" is set by
`cordee.staffing.urls`)."""

from django.urls import path

from cordee.staffing.views import billing, documents, reports

urlpatterns: list = [
    path("personnel/refacturation/", billing.billing, name="billing"),
    path("personnel/refacturation/<int:pk>/annexe/<int:org_pk>.pdf", documents.annex, name="billing_annex"),
    path("personnel/rapport/", reports.report, name="report"),
    path("personnel/<int:pk>/rapport/", reports.employee_report, name="employee_report"),
    path("personnel/<int:pk>/convention/<int:org_pk>.pdf", documents.convention, name="convention"),
    path("personnel/<int:pk>/lettre-de-mission.pdf", documents.mission_letter, name="mission_letter"),
]
