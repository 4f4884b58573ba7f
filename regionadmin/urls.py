"""The region administration pages, under /region-admin/."""

from django.urls import path

from . import views

app_name = "regionadmin"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:region_pk>/", views.region_home, name="region"),
    path("<int:region_pk>/clinics/", views.clinic_list, name="clinics"),
    path("<int:region_pk>/clinics/new/", views.clinic_create, name="clinic_create"),
    path("<int:region_pk>/clinics/<int:pk>/edit/", views.clinic_edit, name="clinic_edit"),
    path("<int:region_pk>/support/", views.support_contact_list, name="support_contacts"),
    path(
        "<int:region_pk>/support/new/",
        views.support_contact_create,
        name="support_contact_create",
    ),
    path(
        "<int:region_pk>/support/<int:pk>/edit/",
        views.support_contact_edit,
        name="support_contact_edit",
    ),
    path(
        "<int:region_pk>/support/<int:pk>/delete/",
        views.support_contact_delete,
        name="support_contact_delete",
    ),
    path("<int:region_pk>/themes/", views.theme_list, name="themes"),
    path("<int:region_pk>/themes/new/", views.theme_create, name="theme_create"),
    path("<int:region_pk>/themes/<int:pk>/edit/", views.theme_edit, name="theme_edit"),
    path("<int:region_pk>/themes/<int:pk>/archive/", views.theme_archive, name="theme_archive"),
    path("<int:region_pk>/leaders/", views.leader_scope_list, name="leader_scopes"),
    path("<int:region_pk>/leaders/new/", views.leader_scope_create, name="leader_scope_create"),
    path(
        "<int:region_pk>/leaders/<int:pk>/remove/",
        views.leader_scope_remove,
        name="leader_scope_remove",
    ),
    path(
        "<int:region_pk>/partners/",
        views.partner_organisation_list,
        name="partner_organisations",
    ),
    path(
        "<int:region_pk>/partners/new/",
        views.partner_organisation_create,
        name="partner_organisation_create",
    ),
    path(
        "<int:region_pk>/partners/<int:pk>/edit/",
        views.partner_organisation_edit,
        name="partner_organisation_edit",
    ),
]
