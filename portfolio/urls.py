"""Portfolio URLs: staff pages, leaders' pages, digest preferences and discussions, each in its
own module."""

from .urls_benefits import urlpatterns as benefit_urlpatterns
from .urls_digest import urlpatterns as digest_urlpatterns
from .urls_discussion import urlpatterns as discussion_urlpatterns
from .urls_leader import urlpatterns as leader_urlpatterns
from .urls_projects import urlpatterns as project_urlpatterns
from .urls_staff import urlpatterns as staff_urlpatterns

app_name = "portfolio"

urlpatterns = [
    *staff_urlpatterns,
    *leader_urlpatterns,
    *project_urlpatterns,
    *digest_urlpatterns,
    *discussion_urlpatterns,
    *benefit_urlpatterns,
]
