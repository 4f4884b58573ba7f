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

# Contributions planned and actual, and the state-aid account (views_contributions).
from . import views_contributions  # noqa: E402

urlpatterns += [
    path(
        "agreements/<int:pk>/contributions/",
        views_contributions.contributions_view,
        name="agreement_contributions",
    ),
    path(
        "parties/<int:pk>/plan/<str:kind>/",
        views_contributions.contribution_plan_view,
        name="contribution_plan",
    ),
    path(
        "parties/<int:pk>/contributions/new/",
        views_contributions.contribution_record_view,
        name="contribution_record",
    ),
    path(
        "contributions/<int:pk>/edit/",
        views_contributions.contribution_edit_view,
        name="contribution_edit",
    ),
    path(
        "contributions/<int:pk>/delete/",
        views_contributions.contribution_delete_view,
        name="contribution_delete",
    ),
    path(
        "contributions/<int:pk>/document/",
        views_contributions.contribution_document_view,
        name="contribution_document",
    ),
    path(
        "agreements/<int:pk>/state-aid/",
        views_contributions.state_aid_view,
        name="agreement_state_aid",
    ),
]
