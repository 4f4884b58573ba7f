"""Setting a project up: start one, change its plan, its value indicators and documents (the
steering leaders' pages around the project page)."""

from django.urls import path

from .views import project_documents, project_setup

urlpatterns = [
    path("projects/new/", project_setup.project_create, name="project_create"),
    path("projects/<int:pk>/edit/", project_setup.project_edit, name="project_edit"),
    path(
        "projects/<int:pk>/indicators/new/",
        project_setup.indicator_create,
        name="indicator_create",
    ),
    path(
        "projects/<int:pk>/indicators/<int:indicator_pk>/edit/",
        project_setup.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "projects/<int:pk>/indicators/<int:indicator_pk>/retire/",
        project_setup.indicator_retire,
        name="indicator_retire",
    ),
    path(
        "projects/<int:pk>/documents/new/",
        project_documents.document_add,
        name="project_document_add",
    ),
    path(
        "projects/<int:pk>/documents/<int:document_pk>/",
        project_documents.document_download,
        name="project_document",
    ),
    path(
        "projects/<int:pk>/documents/<int:document_pk>/delete/",
        project_documents.document_delete,
        name="project_document_delete",
    ),
]
