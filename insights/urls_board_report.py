"""The board report's URLs, under /insights/ (namespace "insights")."""

from django.urls import path

from . import views_board_report

app_name = "insights"

urlpatterns = [
    path("board-report/", views_board_report.board_report, name="board_report"),
]
