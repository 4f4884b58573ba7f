from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = _("Single sign-on")

    def ready(self):
        from clinics.personal_data import register_personal_data

        from .personal_data import sso_personal_data, sso_personal_data_erase

        register_personal_data(name="sso", export=sso_personal_data, erase=sso_personal_data_erase)
