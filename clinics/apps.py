from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicsConfig(AppConfig):
    name = "clinics"
    verbose_name = _("Clinics and people")

    def ready(self):
        from . import checks, signals  # noqa: F401  (registers the receivers and checks)
