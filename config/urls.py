from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from api import views_token as api_token_views
from clinics import views as clinic_views
from clinics import views_auth
from config.health import HealthView
from core.forms import QueuedPasswordResetForm
from insights import views_search
from insights.urls import urlpatterns as insights_urlpatterns
from insights.urls_state_aid import urlpatterns as state_aid_urlpatterns
from partnership.urls import urlpatterns as partnership_urlpatterns
from portfolio.urls import urlpatterns as portfolio_urlpatterns
from sso import views as sso_views

# Django's bare "Server Error (500)" becomes a page in the site's layout (JSON for the API), and
# a database outage that a middleware meets (the session, the signed-in person) answers 503.
handler500 = "config.outages.server_error"
# The other errors in the site's layout and language, with a way back (config/errors.py).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"

# The admin under the product's name, not "Django administration" (one place, for every page).
admin.site.site_header = _("Partnerskap administration")
admin.site.site_title = _("Partnerskap administration")
admin.site.index_title = _("Site administration")

urlpatterns = [
    # For load balancers and supervisors: no login, no HTTPS redirect (config/health.py).
    path("health/", HealthView.as_view(), name="health"),
    path("", clinic_views.home, name="home"),
    path("login/", views_auth.LoginView.as_view(), name="login"),
    path("login/verify/", views_auth.two_factor_verify, name="two_factor_verify"),
    # Django's logout, which after a single sign-on also ends the identity provider's session.
    path("logout/", sso_views.LogoutView.as_view(), name="logout"),
    path("sso/", include("sso.urls")),
    # Password reset: the same answer, and the same work in the request, whether or not an
    # account has the address (the lookup and the mail happen in the outbox's sender).
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/", include("clinics.urls_account")),
    path("account/api-token/", api_token_views.api_token, name="api_token"),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("clinics/", include("clinics.urls")),
    # The portfolio's pages and the dashboard share the product's "portfolio" namespace and
    # address, though the dashboard comes from the insights app above the partners app.
    path(
        "portfolio/",
        include(([*portfolio_urlpatterns, *insights_urlpatterns], "portfolio")),
    ),
    path("partners/", include("partners.urls")),
    # One search for every role, over what each may open (insights reads both domains).
    path("search/", views_search.search, name="search"),
    # The state-aid account's downloads (insights) sit next to its page, in the same namespace.
    path(
        "partnership/", include(([*partnership_urlpatterns, *state_aid_urlpatterns], "partnership"))
    ),
    path("partnership/", include("partnership.urls_cosharing")),
    # The board report (PDF, XLSX) of a leader's portfolio over a period.
    path("insights/", include("insights.urls_board_report")),
    path("evidence/", include("evidence.urls")),
    path("region-admin/", include("regionadmin.urls")),
    # Published results for citizens: no login (results/views.py).
    path("results/", include("results.urls")),
    # Administrators log in through the same form as everyone (lockout, second factor).
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's).
    path("favicon.ico", RedirectView.as_view(url=lazy(static_url, str)("img/favicon.svg"))),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
