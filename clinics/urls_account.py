from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views_account, views_auth

app_name = "account"

urlpatterns = [
    path("", views_account.account_detail, name="detail"),
    path("personal-data.json", views_account.personal_data_download, name="personal_data"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("account:password_done")),
        name="password",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_done",
    ),
    path("two-factor/setup/", views_auth.two_factor_setup, name="two_factor_setup"),
    path(
        "two-factor/recovery-codes/",
        views_auth.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("two-factor/disable/", views_auth.two_factor_disable, name="two_factor_disable"),
]
