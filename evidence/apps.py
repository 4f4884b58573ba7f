from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Adoption across clinics")

    def ready(self):
        from clinics.personal_data import register_personal_data

        from .personal_data import evidence_personal_data

        register_personal_data(name="evidence", export=evidence_personal_data)

        from portfolio.project_page import register_project_page_part

        from .pages import project_page_adoptions

        register_project_page_part(name="adoptions", context=project_page_adoptions)
