"""The admin's names for third-party apps: their own ("Axes", "Otp_Totp") mean nothing to an
administrator. Each subclass keeps the app's name and label, so its models and tables stay put;
INSTALLED_APPS lists these instead of the packages' own configs."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_celery_beat.apps import BeatConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as OtpStaticDefaultConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as OtpTotpDefaultConfig


class ScheduledTasksConfig(BeatConfig):
    verbose_name = _("Scheduled tasks")


class LoginAttemptsConfig(AxesAppConfig):
    verbose_name = _("Login attempts and lockouts")


class AuthenticatorAppsConfig(OtpTotpDefaultConfig):
    verbose_name = _("Two-factor login: authenticator apps")


class RecoveryCodesConfig(OtpStaticDefaultConfig):
    verbose_name = _("Two-factor login: recovery codes")
