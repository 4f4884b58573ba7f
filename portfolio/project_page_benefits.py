"""The project page's link to the benefits register (``portfolio/_project_benefits.html``), for
the region's people; a part of the page like the others (``portfolio.project_page``)."""

from clinics.access import access_for
from portfolio.access import benefits_can_read


def project_page_benefits(user, project) -> dict:
    return {"benefits_link": benefits_can_read(access_for(user))}
