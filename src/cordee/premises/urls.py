from django.urls import path

from cordee.premises import feed_views, views

app_name = "premises"

urlpatterns = [
    path("ressources/", views.resources, name="resources"),
    path("ressources/nouvelle/", views.resource_edit, name="resource_add"),
    path("ressources/<int:pk>/", views.resource_detail, name="resource"),
    path("ressources/<int:pk>/modifier/", views.resource_edit, name="resource_edit"),
    path("ressources/<int:pk>/reserver/", views.book, name="book"),
    path("reservations/", views.my_bookings, name="my_bookings"),
    path("reservations/<int:pk>/annuler/", views.booking_cancel, name="booking_cancel"),
    path("reservations/<int:pk>/approuver/", views.booking_approve, name="booking_approve"),
    path("reservations/<int:pk>/refuser/", views.booking_refuse, name="booking_refuse"),
    path("reservations/facturer/", views.invoice_bookings, name="invoice_bookings"),
    path("ressources/statistiques/", views.usage, name="usage"),
    path("agenda/ressource/<str:token>.ics", feed_views.resource_feed, name="resource_feed"),
    path("agenda/organisation/<str:token>.ics", feed_views.organisation_feed, name="organisation_feed"),
    path(
        "ressources/<int:pk>/agenda/renouveler/", feed_views.resource_feed_regenerate, name="resource_feed_regenerate"
    ),
    path(
        "organisations/<slug:slug>/agenda/renouveler/",
        feed_views.organisation_feed_regenerate,
        name="organisation_feed_regenerate",
    ),
]
