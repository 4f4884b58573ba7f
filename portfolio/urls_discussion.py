"""The discussion of ideas and projects: a thread page of each, and a comment's edit and delete.
(The newest comments and the form also show on the idea's and the project's own pages.)"""

from django.urls import path

from .views import discussion

urlpatterns = [
    path("ideas/<int:pk>/comments/", discussion.idea_comments, name="idea_comments"),
    path("projects/<int:pk>/comments/", discussion.project_comments, name="project_comments"),
    path("comments/<int:pk>/edit/", discussion.comment_edit_view, name="comment_edit"),
    path("comments/<int:pk>/delete/", discussion.comment_delete_view, name="comment_delete"),
]
