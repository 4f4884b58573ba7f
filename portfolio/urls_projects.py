"""Setting a project up: start one, change its plan, its value indicators and documents (the
steering leaders' pages around the project page)."""

from django.urls import path

from .views import project_setup

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
]
