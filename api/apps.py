from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("REST API")

    def ready(self):
        from clinics.personal_data import register_personal_data

        from .personal_data import api_personal_data, api_token_end

        register_personal_data(
            name="api", export=api_personal_data, erase=api_token_end, deactivate=api_token_end
        )
