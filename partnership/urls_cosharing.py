"""Co-sharing of cost and gain: its own namespace (``cosharing``) beside the partnership's."""

from django.urls import path

from . import views_cosharing as views

app_name = "cosharing"

urlpatterns = [
    path(
        "agreements/<int:pk>/cosharing/new/",
        views.sharing_rule_create_view,
        name="sharing_rule_create",
    ),
    path("cosharing/<int:pk>/edit/", views.sharing_rule_edit_view, name="sharing_rule_edit"),
]
