from django.urls import path

from cordee.practices.feeds import LatestPracticesFeed
from cordee.practices.views import community

urlpatterns = [
    path("bonnes-pratiques/flux.atom", LatestPracticesFeed(), name="feed"),
    path("bonnes-pratiques/<slug:slug>/pdf/", community.practice_pdf, name="practice_pdf"),
    path("bonnes-pratiques/<slug:slug>/commentaires/", community.comment_create, name="comment_create"),
    path(
        "bonnes-pratiques/<slug:slug>/commentaires/<int:pk>/supprimer/",
        community.comment_delete,
        name="comment_delete",
    ),
]
