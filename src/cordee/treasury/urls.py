from django.urls import path

from cordee.treasury import urls_banking, urls_documents, urls_plans
from cordee.treasury.views import advances, deposits, pool

app_name = "treasury"

urlpatterns = [
    path("tresorerie/", pool.home, name="home"),
    path("tresorerie/tableau-de-bord/", pool.dashboard, name="dashboard"),
    path("tresorerie/reglages/", pool.settings_edit, name="settings"),
    path("tresorerie/fonds-propres/", pool.fund_form, name="fund_form"),
    path("tresorerie/fonds-propres/ajouter/", pool.fund, name="fund"),
    path("tresorerie/declarations/", pool.declarations, name="declarations"),
    path("tresorerie/apports/", deposits.deposits, name="deposits"),
    path("tresorerie/apports/droit-de-reprise/", deposits.returnable_register, name="returnable_register"),
    path("tresorerie/apports/nouveau/", deposits.deposit_propose, name="deposit_propose"),
    path("tresorerie/apports/<int:pk>/", deposits.deposit_detail, name="deposit"),
    path("tresorerie/apports/<int:pk>/confirmer/", deposits.deposit_confirm, name="deposit_confirm"),
    path("tresorerie/apports/<int:pk>/annuler/", deposits.deposit_cancel, name="deposit_cancel"),
    path("tresorerie/apports/<int:pk>/retrait/", deposits.withdrawal_request, name="withdrawal_request"),
    path("tresorerie/retraits/<int:pk>/payer/", deposits.withdrawal_pay, name="withdrawal_pay"),
    path("tresorerie/retraits/<int:pk>/refuser/", deposits.withdrawal_refuse, name="withdrawal_refuse"),
    path("tresorerie/avances/", advances.advances, name="advances"),
    path("tresorerie/avances/demander/", advances.advance_request, name="advance_request"),
    path("tresorerie/avances/<int:pk>/", advances.advance_detail, name="advance"),
    path("tresorerie/avances/<int:pk>/decider/", advances.advance_decide, name="advance_decide"),
    path("tresorerie/avances/<int:pk>/retirer/", advances.advance_cancel, name="advance_cancel"),
    path("tresorerie/avances/<int:pk>/renoncer/", advances.advance_give_up, name="advance_give_up"),
    path("tresorerie/avances/<int:pk>/verser/", advances.advance_disburse, name="advance_disburse"),
    path("tresorerie/avances/<int:pk>/remboursement/", advances.advance_repayment, name="advance_repayment"),
    path("tresorerie/avances/<int:pk>/frais/", advances.advance_charge, name="advance_charge"),
    path("tresorerie/avances/<int:pk>/reechelonner/", advances.advance_reschedule, name="advance_reschedule"),
    path("tresorerie/avances/<int:pk>/passer-en-perte/", advances.advance_write_off, name="advance_write_off"),
    *urls_plans.urlpatterns,
    *urls_banking.urlpatterns,
    *urls_documents.urlpatterns,
]
