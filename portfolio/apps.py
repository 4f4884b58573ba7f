from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self):
        from clinics.personal_data import register_personal_data

        from .personal_data import portfolio_personal_data, portfolio_personal_data_erase

        register_personal_data(
            name="portfolio", export=portfolio_personal_data, erase=portfolio_personal_data_erase
        )

        from .project_page import register_project_page_part
        from .project_page_innovation_time import project_page_innovation_time

        register_project_page_part(name="innovation_time", context=project_page_innovation_time)

        from .project_page_team import project_page_team

        register_project_page_part(name="team", context=project_page_team)

        from .project_page_benefits import project_page_benefits

        register_project_page_part(name="benefits", context=project_page_benefits)
