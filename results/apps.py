from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Public results")

    def ready(self):
        from portfolio.project_page import register_project_page_part

        from .pages import project_page_publication

        register_project_page_part(name="public_result", context=project_page_publication)
