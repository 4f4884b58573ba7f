from django.urls import path

from . import views

app_name = "clinics"

urlpatterns = [
    path("<int:pk>/", views.clinic_detail, name="detail"),
    path("<int:pk>/help/", views.clinic_help, name="help"),
    path("help/", views.my_help, name="my_help"),
]
