"""The clearing pages (the namespace "clearing" is set by `cordee.clearing.urls`)."""

from django.urls import URLPattern, path

from cordee.clearing import views

urlpatterns: list[URLPattern] = [
    path("compensation/", views.home, name="home"),
    path("compensation/calculer/", views.run_compute, name="run_compute"),
    path("compensation/operations/<int:pk>/", views.run_detail, name="run"),
    path("compensation/operations/<int:pk>/executer/", views.run_execute, name="run_execute"),
    path("compensation/operations/<int:pk>/liquidite/", views.liquidity, name="liquidity"),
    path("compensation/accords/", views.consents, name="consents"),
    path("compensation/accords/<int:organisation_pk>/signer/", views.consent_sign, name="consent_sign"),
    path("compensation/accords/<int:organisation_pk>/retirer/", views.consent_withdraw, name="consent_withdraw"),
    path("compensation/accord/", views.agreement, name="agreement"),
]
