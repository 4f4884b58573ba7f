"""A project's benefits register: read by the region's people who read the project, kept by the
leaders who steer it."""

from django.urls import path

from .views import benefits

urlpatterns = [
    path("projects/<int:pk>/benefits/", benefits.benefit_list, name="benefit_list"),
    path("projects/<int:pk>/benefits/new/", benefits.benefit_create, name="benefit_create"),
    path(
        "projects/<int:pk>/benefits/<int:benefit_pk>/edit/",
        benefits.benefit_edit,
        name="benefit_edit",
    ),
    path(
        "projects/<int:pk>/benefits/<int:benefit_pk>/review/",
        benefits.benefit_review,
        name="benefit_review",
    ),
]
