from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = _("Innovation partnerships")

    def ready(self):
        from clinics.personal_data import register_personal_data

        from .personal_data import partnership_personal_data

        register_personal_data(name="partnership", export=partnership_personal_data)

        from partners.agreement_page import register_agreement_page_part
        from portfolio.project_page import register_project_page_part

        from .pages import agreement_page_phases, project_page_phases

        register_project_page_part(name="innovation_partnership", context=project_page_phases)
        register_agreement_page_part(name="innovation_partnership", context=agreement_page_phases)

        from .pages import agreement_page_contributions

        register_agreement_page_part(name="contributions", context=agreement_page_contributions)
        from portfolio.measurement_hooks import register_measurement_recorded

        from .cosharing_pages import agreement_page_cosharing
        from .services.cosharing import sharing_results_for_measurement

        register_measurement_recorded(name="cosharing", recorded=sharing_results_for_measurement)
        register_agreement_page_part(name="cosharing", context=agreement_page_cosharing)

        from .progress_pages import agreement_page_progress, project_page_progress

        register_project_page_part(name="progress_rollup", context=project_page_progress)
        register_agreement_page_part(name="progress_rollup", context=agreement_page_progress)

        from partners.engagement import register_engagement_figure

        from .engagement_figures import (
            CONTRIBUTIONS_FIGURE,
            CONTRIBUTIONS_LABEL,
            contributions_vs_plan,
        )

        register_engagement_figure(
            name=CONTRIBUTIONS_FIGURE, label=CONTRIBUTIONS_LABEL, compute=contributions_vs_plan
        )
