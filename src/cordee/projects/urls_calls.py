"""The calls for projects and the applications."""

from django.urls import path

from cordee.projects.views import applications, calls

urlpatterns = [
    path("appels-a-projets/", calls.call_list, name="calls"),
    path("appels-a-projets/nouveau/", calls.call_create, name="call_create"),
    path("appels-a-projets/<slug:slug>/", calls.call_detail, name="call"),
    path("appels-a-projets/<slug:slug>/modifier/", calls.call_edit, name="call_edit"),
    path("appels-a-projets/<slug:slug>/publier/", calls.call_publish, name="call_publish"),
    path("appels-a-projets/<slug:slug>/candidater/", applications.application_start, name="application_start"),
    path("candidatures/", applications.my_applications, name="applications"),
    path("candidatures/<int:pk>/", applications.application_detail, name="application"),
    path("candidatures/<int:pk>/modifier/", applications.application_edit, name="application_edit"),
    path("candidatures/<int:pk>/soumettre/", applications.application_submit, name="application_submit"),
    path("candidatures/<int:pk>/retirer/", applications.application_withdraw, name="application_withdraw"),
    path("candidatures/<int:pk>/eligibilite/", applications.application_eligibility, name="application_eligibility"),
]
