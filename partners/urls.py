from django.urls import path

from . import views, views_documents, views_income_share

app_name = "partners"

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path(
        "projects/<int:project_pk>/milestones/new/",
        views.milestone_create_view,
        name="milestone_create",
    ),
    path(
        "projects/<int:project_pk>/agreements/new/",
        views.agreement_create_view,
        name="agreement_create",
    ),
    path("milestones/export.csv", views.milestone_export, name="milestone_export"),
    path("milestones/<int:pk>/", views.milestone_detail, name="milestone_detail"),
    path("milestones/<int:pk>/edit/", views.milestone_edit_view, name="milestone_edit"),
    path("milestones/<int:pk>/confirm/", views.milestone_confirm_view, name="milestone_confirm"),
    path("milestones/<int:pk>/reopen/", views.milestone_reopen_view, name="milestone_reopen"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit_view, name="agreement_edit"),
    path(
        "agreements/<int:pk>/status/", views.agreement_transition_view, name="agreement_transition"
    ),
    path("agreements/<int:pk>/confirm/", views.agreement_confirm_view, name="agreement_confirm"),
    path(
        "agreements/<int:pk>/new-version/",
        views.agreement_new_version_view,
        name="agreement_new_version",
    ),
    path("agreements/<int:pk>/ledger/", views.agreement_ledger, name="agreement_ledger"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path(
        "invitations/<str:uidb64>/<str:token>/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "agreements/<int:pk>/documents/new/",
        views_documents.agreement_document_add,
        name="agreement_document_add",
    ),
    path(
        "agreements/<int:pk>/documents/<int:document_pk>/",
        views_documents.agreement_document,
        name="agreement_document",
    ),
    path(
        "agreements/<int:pk>/documents/<int:document_pk>/delete/",
        views_documents.agreement_document_delete,
        name="agreement_document_delete",
    ),
    path(
        "agreements/<int:pk>/income-share/",
        views_income_share.agreement_income_share,
        name="agreement_income_share",
    ),
]
