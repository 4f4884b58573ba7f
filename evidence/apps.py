from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Adoption across clinics")

    def ready(self):
        from portfolio.project_page import register_project_page_part

        from .pages import project_page_adoptions

        register_project_page_part(name="adoptions", context=project_page_adoptions)
