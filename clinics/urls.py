from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "clinics"

urlpatterns = [
    # The clinic's page shows its projects and ideas, so the portfolio app serves it; the
    # old address keeps working for bookmarks.
    path(
        "<int:pk>/",
        RedirectView.as_view(pattern_name="portfolio:clinic_detail", permanent=True),
        name="detail",
    ),
    path("<int:pk>/help/", views.clinic_help, name="help"),
    path("help/", views.my_help, name="my_help"),
]
