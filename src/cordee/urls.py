from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cordee.api import api
from cordee.core import views as core_views
from cordee.core.forms import LoginForm, TaskPasswordResetForm

account_patterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/fait/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(form_class=TaskPasswordResetForm),
        name="password_reset",
    ),
    path("mot-de-passe/oubli/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/nouveau/fait/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("", core_views.account, name="account"),
    path("donnees.json", core_views.account_export, name="account_export"),
    path("effacer/", core_views.account_erase, name="account_erase"),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("compte/", include(account_patterns)),
    path("reseau/personnes/", core_views.people, name="people"),
    path("reseau/personnes/<int:pk>/donnees.json", core_views.person_export, name="person_export"),
    path("reseau/personnes/<int:pk>/effacer/", core_views.person_erase, name="person_erase"),
    path("", include("cordee.network.urls")),
    path("", include("cordee.ledger.urls")),
    path("", include("cordee.premises.urls")),
    path("", include("cordee.invoicing.urls")),
    path("", include("cordee.governance.urls")),
    path("", include("cordee.treasury.urls")),
    path("", include("cordee.staffing.urls")),
    path("", include("cordee.skills.urls")),
    path("", include("cordee.clearing.urls")),
    path("", include("cordee.practices.urls")),
    path("", include("cordee.projects.urls")),
    path("", include("cordee.reporting.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # Logos and resources' photos only (core.views.PUBLIC_MEDIA); other uploads through their apps' views.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", core_views.public_media, name="media"),
]

handler403 = "cordee.core.errorviews.forbidden"
handler404 = "cordee.core.errorviews.not_found"
handler500 = "cordee.core.errorviews.server_error"
