from django.urls import path

from cordee.governance import views

app_name = "governance"

urlpatterns = [
    path("gouvernance/", views.index, name="index"),
    path("gouvernance/instances/nouvelle/", views.body_create, name="body_create"),
    path("gouvernance/instances/<slug:slug>/", views.body_detail, name="body"),
    path("gouvernance/instances/<slug:slug>/modifier/", views.body_edit, name="body_edit"),
    path("gouvernance/instances/<slug:slug>/sieges/", views.seat_add, name="seat_add"),
    path("gouvernance/instances/<slug:slug>/sieges/<int:pk>/fin/", views.seat_end, name="seat_end"),
    path("gouvernance/instances/<slug:slug>/decisions/nouvelle/", views.decision_create, name="decision_create"),
    path("gouvernance/decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("gouvernance/decisions/<int:pk>/vote/", views.vote, name="vote"),
    path("gouvernance/decisions/<int:pk>/cloture/", views.decision_close, name="decision_close"),
    path("gouvernance/decisions/<int:pk>/annulation/", views.decision_cancel, name="decision_cancel"),
    path("gouvernance/decisions/<int:pk>/proces-verbal.pdf", views.decision_minutes, name="decision_minutes"),
    path("gouvernance/registre/", views.register, name="register"),
    path("gouvernance/registre.csv", views.register_csv, name="register_csv"),
]
