from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("projects/<int:pk>/", views.project_adoptions, name="project_adoptions"),
    path("projects/<int:pk>/adoptions/new/", views.adoption_create_view, name="adoption_create"),
    path("projects/<int:pk>/comparison/", views.project_comparison_view, name="comparison"),
    path("projects/<int:pk>/decision/", views.scale_decide_view, name="scale_decide"),
    path("adoptions/<int:pk>/edit/", views.adoption_edit_view, name="adoption_edit"),
    path(
        "adoptions/<int:pk>/measurements/new/",
        views.clinic_measurement_create_view,
        name="measurement_create",
    ),
]
