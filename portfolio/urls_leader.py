"""Innovation leaders' pages (and the project page, which every party to a project may read)."""

from django.urls import path

from .views import leader, team

urlpatterns = [
    path("review/", leader.review_queue_view, name="review_queue"),
    path("review/<int:pk>/", leader.review_idea, name="review_idea"),
    path("projects/<int:pk>/", leader.project_detail, name="project_detail"),
    path("projects/<int:pk>/team/join/", team.project_join, name="project_join"),
    path("projects/<int:pk>/team/add/", team.project_team_add, name="project_team_add"),
    path(
        "projects/<int:pk>/team/<int:member_pk>/",
        team.project_member,
        name="project_member",
    ),
    path("leader/challenges/", leader.challenge_list, name="leader_challenges"),
    path("leader/challenges/new/", leader.challenge_create, name="leader_challenge_create"),
    path("leader/challenges/<int:pk>/edit/", leader.challenge_edit, name="leader_challenge_edit"),
]
