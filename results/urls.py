from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("", views.result_list, name="index"),
    path("feed/", views.results_feed, name="feed"),
    path("open-data.csv", views.results_open_data_csv, name="open_data_csv"),
    path("open-data.json", views.results_open_data_json, name="open_data_json"),
    path("publish/<int:project_pk>/", views.publication_edit, name="publication_edit"),
    path(
        "publish/<int:project_pk>/unpublish/",
        views.publication_unpublish_view,
        name="publication_unpublish",
    ),
    # Last: a result's address is its title's words and its project's id.
    path("<slug:slug>/", views.result_detail, name="detail"),
]
