"""The state-aid account's downloads, next to its page. config/urls.py mounts them under
/partnership/ in the "partnership" namespace together with the partnership app's URLs (as the
dashboard's join the portfolio's), so ``partnership:state_aid_csv`` is
/partnership/agreements/<pk>/state-aid.csv beside the page /partnership/agreements/<pk>/state-aid/.
The views stay in insights, which owns the XLSX writer; the partnership app below it cannot
import them."""

from django.urls import path

from . import views_state_aid

urlpatterns = [
    path("agreements/<int:pk>/state-aid.csv", views_state_aid.state_aid_csv, name="state_aid_csv"),
    path(
        "agreements/<int:pk>/state-aid.xlsx",
        views_state_aid.state_aid_xlsx,
        name="state_aid_xlsx",
    ),
]
