from django.urls import path

from .views import clinic, innovation_time, staff

urlpatterns = [
    path("ideas/mine/", staff.my_ideas, name="my_ideas"),
    path("ideas/new/", staff.idea_create_view, name="idea_create"),
    path("ideas/similar/", staff.similar_ideas, name="similar_ideas"),
    path("ideas/<int:pk>/", staff.idea_detail, name="idea_detail"),
    path("ideas/<int:pk>/edit/", staff.idea_update_view, name="idea_update"),
    path("ideas/<int:pk>/submit/", staff.idea_submit_view, name="idea_submit"),
    path("ideas/<int:pk>/withdraw/", staff.idea_withdraw_view, name="idea_withdraw"),
    path(
        "ideas/<int:pk>/questions/<int:question_pk>/answer/",
        staff.idea_answer_view,
        name="idea_answer",
    ),
    path(
        "ideas/<int:pk>/attachments/<int:attachment_pk>/",
        staff.attachment_download,
        name="idea_attachment",
    ),
    path("time/", innovation_time.my_innovation_time, name="my_innovation_time"),
    path("clinics/<int:pk>/", clinic.clinic_detail, name="clinic_detail"),
    path("challenges/open/", staff.challenge_list, name="challenges_open"),
    path("notifications/", staff.notification_list, name="notifications"),
    path("notifications/<int:pk>/", staff.notification_open, name="notification_open"),
    path("notifications/settings/", staff.notification_settings, name="notification_settings"),
]
