from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionAdminConfig(AppConfig):
    name = "regionadmin"
    verbose_name = _("Region administration")
