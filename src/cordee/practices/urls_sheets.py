from django.urls import path

from cordee.practices.views import sheets

urlpatterns = [
    path("bonnes-pratiques/", sheets.practice_list, name="practices"),
    path("bonnes-pratiques/nouvelle/", sheets.practice_create, name="practice_create"),
    path("bonnes-pratiques/relecture/", sheets.review, name="review"),
    path("bonnes-pratiques/<slug:slug>/", sheets.practice_detail, name="practice"),
    path("bonnes-pratiques/<slug:slug>/imprimer/", sheets.practice_print, name="practice_print"),
    path("bonnes-pratiques/<slug:slug>/modifier/", sheets.practice_edit, name="practice_edit"),
    path("bonnes-pratiques/<slug:slug>/soumettre/", sheets.practice_submit, name="practice_submit"),
    path("bonnes-pratiques/<slug:slug>/publier/", sheets.practice_publish, name="practice_publish"),
    path("bonnes-pratiques/<slug:slug>/renvoyer/", sheets.practice_send_back, name="practice_send_back"),
    path("bonnes-pratiques/<slug:slug>/depublier/", sheets.practice_unpublish, name="practice_unpublish"),
    path("bonnes-pratiques/<slug:slug>/fichiers/", sheets.attachment_add, name="attachment_add"),
    path("bonnes-pratiques/<slug:slug>/fichiers/<int:pk>/", sheets.attachment_download, name="attachment"),
    path(
        "bonnes-pratiques/<slug:slug>/fichiers/<int:pk>/supprimer/",
        sheets.attachment_remove,
        name="attachment_remove",
    ),
]
