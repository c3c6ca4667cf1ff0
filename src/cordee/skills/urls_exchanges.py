from django.urls import path

from cordee.skills.views import credits, exchanges

app_name = "skills"

urlpatterns = [
    path("competences/echanges/", exchanges.exchange_list, name="exchanges"),
    path("competences/echanges/<int:pk>/", exchanges.exchange_detail, name="exchange"),
    path("competences/echanges/<int:pk>/accepter/", exchanges.exchange_accept, name="exchange_accept"),
    path("competences/echanges/<int:pk>/confirmer/", exchanges.exchange_confirm, name="exchange_confirm"),
    path("competences/echanges/<int:pk>/annuler/", exchanges.exchange_cancel, name="exchange_cancel"),
    path("competences/echanges/<int:pk>/avis/", exchanges.exchange_review, name="exchange_review"),
    path("competences/annonces/<int:listing_pk>/proposer/", exchanges.exchange_propose, name="exchange_propose"),
    path("competences/credits-temps/", credits.credit_overview, name="credits"),
    path("competences/credits-temps/reglages/", credits.credit_settings, name="credit_settings"),
    path("competences/credits-temps/<int:org_pk>/", credits.credit_limit, name="credit_limit"),
    path("competences/cooperations/", exchanges.cooperation_list, name="cooperations"),
]
