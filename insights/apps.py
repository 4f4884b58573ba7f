from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = _("Dashboard and digests")

    def ready(self):
        # The board report's sections (insights/board_report/sections.py): one line each.
        from insights.board_report.providers import BUILT_IN
        from insights.board_report.sections import register_section

        for provider, order in BUILT_IN:
            register_section(provider, order=order)

        from insights.board_report.providers_linked import LINKED

        for provider, order in LINKED:
            register_section(provider, order=order)
