from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from clinics.personal_data import register_personal_data

        from .personal_data import partners_personal_data

        register_personal_data(name="partners", export=partners_personal_data)

        from portfolio.project_page import register_project_page_part

        from .project_page import project_page_partnership

        register_project_page_part(name="partnership", context=project_page_partnership)

        from portfolio.team_rules import register_team_partner_candidates

        from .team import team_partner_candidates

        register_team_partner_candidates(name="parties", candidates=team_partner_candidates)

        from django.contrib.auth.signals import user_logged_in

        from .engagement import partner_first_login_record

        user_logged_in.connect(partner_first_login_record, dispatch_uid="partner_first_login")
