from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mutualis.core import twofactor_views
from mutualis.core import views as core_views
from mutualis.core.access import public
from mutualis.core.forms import LoginForm
from mutualis.proconnect import views as proconnect_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("sante/", core_views.health, name="health"),
    path(
        "connexion/",
        public(
            auth_views.LoginView.as_view(
                redirect_authenticated_user=True, authentication_form=LoginForm
            )
        ),
        name="login",
    ),
    # Django's logout, then ProConnect's when the session came from it.
    path("deconnexion/", proconnect_views.logout, name="logout"),
    path("connexion/double-authentification/", twofactor_views.verify, name="two_factor_verify"),
    path(
        "connexion/double-authentification/activer/",
        twofactor_views.enrol,
        name="two_factor_enrol",
    ),
    path(
        "connexion/double-authentification/codes-de-secours/",
        twofactor_views.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "connexion/mot-de-passe/",
        public(core_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "connexion/mot-de-passe/envoye/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "connexion/mot-de-passe/<uidb64>/<token>/",
        public(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "connexion/mot-de-passe/fait/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("operateur/", include("mutualis.members.urls")),
    path("operateur/", include("mutualis.catalog.urls")),
    path("operateur/imports/", include("mutualis.imports.urls")),
    path("operateur/facturation/", include("mutualis.billing.urls")),
    path("operateur/consommations/", include("mutualis.metering.urls")),
    path("operateur/achats/", include("mutualis.purchasing.urls")),
    path("operateur/informaticiens/", include("mutualis.staffing.urls")),
    path("operateur/capteurs/", include("mutualis.iot.urls")),
    path("operateur/instances/", include("mutualis.governance.urls")),
    path("operateur/alertes/", include("mutualis.alerts.urls")),
    path("operateur/assistance/", include("mutualis.support.urls")),
    path("operateur/enquetes/", include("mutualis.surveys.urls")),
    path("operateur/historique/", include("mutualis.audit.urls")),
    path("iot/", include("mutualis.iot.webhook_urls")),
    path("", include("mutualis.opendata.urls")),
    path("mon-espace/", include("mutualis.catalog.portal_urls")),
    path("mon-espace/", include("mutualis.billing.portal_urls")),
    path("mon-espace/", include("mutualis.purchasing.portal_urls")),
    path("mon-espace/", include("mutualis.staffing.portal_urls")),
    path("elus/", include("mutualis.insights.urls")),
    path("mon-espace/", include("mutualis.iot.portal_urls")),
    path("mon-espace/", include("mutualis.alerts.portal_urls")),
    path("mon-espace/", include("mutualis.support.portal_urls")),
    path("mon-espace/", include("mutualis.surveys.portal_urls")),
    path("", include("mutualis.proconnect.urls")),
    path("api/", include("mutualis.config.api_urls")),
    path("admin/", admin.site.urls),
]

handler404 = "mutualis.core.views.page_not_found"
handler500 = "mutualis.core.views.server_error"
