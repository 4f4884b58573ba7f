from django.urls import path

from . import views, views_progress, views_targets

app_name = "partnership"

urlpatterns = [
    path(
        "agreements/<int:pk>/phases/new/",
        views.phase_create_view,
        name="agreement_phase_create",
    ),
    path("phases/<int:pk>/", views.phase_detail, name="phase_detail"),
    path("phases/<int:pk>/edit/", views.phase_edit_view, name="phase_edit"),
    path("phases/<int:pk>/targets/new/", views.target_create_view, name="phase_target_create"),
    path("phases/<int:pk>/gate/", views.gate_decide_view, name="gate_decide"),
    path(
        "phases/<int:pk>/instalments/new/",
        views.instalment_create_view,
        name="phase_instalment_create",
    ),
    path("targets/<int:pk>/assess/", views.target_assess_view, name="target_assess"),
    path(
        "instalments/<int:pk>/status/",
        views.instalment_transition_view,
        name="instalment_transition",
    ),
    path(
        "projects/<int:pk>/progress/",
        views_progress.project_progress_view,
        name="project_progress",
    ),
    path("targets/<int:pk>/edit/", views_targets.target_edit_view, name="target_edit"),
]
