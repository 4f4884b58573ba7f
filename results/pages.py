"""The publish step's link on the project page (``portfolio.project_page``), registered in
``ResultsConfig.ready()``: only for who may publish. No query: whether it is published, and its
public address, are on the publish page."""

from clinics.access import access_for
from clinics.models import User
from portfolio.models import Project

from .access import publication_can_manage


def project_page_publication(user: User, project: Project) -> dict:
    return {"can_publish_result": publication_can_manage(access_for(user), project)}
