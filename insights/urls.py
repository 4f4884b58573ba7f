"""The dashboard's URLs. They live in the product's "portfolio" namespace, under /portfolio/
(config/urls.py mounts them with the portfolio app's), so links and bookmarks stay as they were."""

from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.csv", views.export_csv, name="export_csv"),
    path("dashboard/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(
        "dashboard/innovation-time.csv",
        views.export_innovation_time_csv,
        name="export_innovation_time_csv",
    ),
    path(
        "dashboard/innovation-time.xlsx",
        views.export_innovation_time_xlsx,
        name="export_innovation_time_xlsx",
    ),
]
