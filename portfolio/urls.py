"""Portfolio URLs: the staff pages, then the leaders' pages (each list in its own module)."""

from .urls_leader import urlpatterns as leader_urlpatterns
from .urls_staff import urlpatterns as staff_urlpatterns

app_name = "portfolio"

urlpatterns = [*staff_urlpatterns, *leader_urlpatterns]
