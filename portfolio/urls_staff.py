from django.urls import path

from .views import staff

urlpatterns = [
    path("ideas/<int:pk>/", staff.idea_detail, name="idea_detail"),
]
