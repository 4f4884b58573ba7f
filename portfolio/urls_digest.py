from django.urls import path

from .views import digest

urlpatterns = [
    path("digests/settings/", digest.digest_preferences, name="digest_preferences"),
    path("digests/unsubscribe/<str:token>/", digest.digest_unsubscribe, name="digest_unsubscribe"),
]
