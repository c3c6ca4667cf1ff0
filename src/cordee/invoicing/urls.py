from django.urls import path

from cordee.invoicing import views

app_name = "invoicing"

urlpatterns = [
    path("factures/", views.invoices, name="invoices"),
    path("factures/nouvelle/", views.invoice_create, name="invoice_create"),
    path("factures/<int:pk>/", views.invoice_detail, name="invoice"),
    path("factures/<int:pk>/modifier/", views.invoice_edit, name="invoice_edit"),
    path("factures/<int:pk>/emettre/", views.invoice_issue, name="invoice_issue"),
    path("factures/<int:pk>/paiement/", views.invoice_payment, name="invoice_payment"),
    path("factures/<int:pk>/avoir/", views.invoice_credit_note, name="invoice_credit_note"),
    path("factures/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("factures/<int:pk>/contester/", views.invoice_dispute, name="invoice_dispute"),
    path("factures/contestations/<int:pk>/clore/", views.dispute_close, name="dispute_close"),
]
