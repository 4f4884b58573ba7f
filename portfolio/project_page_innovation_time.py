"""The project page's innovation time: hours per month, for the leaders who may read them
(``templates/portfolio/_project_innovation_time.html``). A part of the page like the partners
app's (``portfolio.project_page``), so the page's view needs no change."""

from clinics.access import access_for
from portfolio.access import innovation_time_can_read_totals
from portfolio.selectors.innovation_time import innovation_time_totals_by_project_month


def project_page_innovation_time(user, project) -> dict:
    if not innovation_time_can_read_totals(access_for(user)):
        return {"innovation_time_months": None}
    return {
        "innovation_time_months": innovation_time_totals_by_project_month(user, project=project)
    }
