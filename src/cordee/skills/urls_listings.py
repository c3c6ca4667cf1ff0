from django.urls import path

from cordee.skills.views import listings

app_name = "skills"

urlpatterns = [
    path("competences/", listings.index, name="index"),
    path("competences/offres/nouvelle/", listings.offer_create, name="offer_create"),
    path("competences/besoins/nouveau/", listings.need_create, name="need_create"),
    path("competences/annonces/<int:pk>/", listings.listing_detail, name="listing"),
    path("competences/annonces/<int:pk>/modifier/", listings.listing_edit, name="listing_edit"),
    path("competences/annonces/<int:pk>/cloturer/", listings.listing_close, name="listing_close"),
    path("competences/annonces/<int:pk>/rouvrir/", listings.listing_reopen, name="listing_reopen"),
]
