"""The bank pages (the namespace "treasury" is set by `cordee.treasury.urls`)."""

from django.urls import path

from cordee.treasury.views import banking

urlpatterns: list = [
    path("tresorerie/banque/", banking.banking_home, name="banking"),
    path("tresorerie/banque/releves/<int:pk>/", banking.bank_statement, name="bank_statement"),
    path("tresorerie/banque/lignes/<int:pk>/affecter/", banking.bank_line_assign, name="bank_line_assign"),
    path("tresorerie/banque/lignes/<int:pk>/ecarter/", banking.bank_line_ignore, name="bank_line_ignore"),
    path("tresorerie/banque/virements.xml", banking.credit_transfers, name="credit_transfers"),
    path("tresorerie/banque/retraits.xml", banking.withdrawal_transfers, name="withdrawal_transfers"),
    path("tresorerie/banque/prelevements/", banking.direct_debits, name="direct_debits"),
    path("tresorerie/organisations/<int:org_pk>/banque/", banking.organisation_banking, name="organisation_banking"),
    path(
        "tresorerie/organisations/<int:org_pk>/banque/mandats/",
        banking.mandate_create,
        name="mandate_create",
    ),
    path(
        "tresorerie/organisations/<int:org_pk>/banque/mandats/<int:pk>/revoquer/",
        banking.mandate_revoke,
        name="mandate_revoke",
    ),
]
