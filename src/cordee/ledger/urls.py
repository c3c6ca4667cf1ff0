from django.urls import path

from cordee.ledger import views

app_name = "ledger"

urlpatterns = [
    path("tresorerie/comptes/", views.accounts, name="accounts"),
    path("tresorerie/comptes/<int:pk>/", views.account_statement, name="statement"),
    path("tresorerie/journal/", views.journal, name="journal"),
    path("tresorerie/exports/fec/", views.export_fec, name="export_fec"),
    path("tresorerie/exports/hledger/", views.export_hledger, name="export_hledger"),
]
