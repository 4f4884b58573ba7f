from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Notifications")

    def ready(self):
        from clinics.personal_data import register_personal_data

        from .personal_data import notifications_erase, notifications_personal_data

        register_personal_data(
            name="notifications", export=notifications_personal_data, erase=notifications_erase
        )
