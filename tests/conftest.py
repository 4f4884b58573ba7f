"""Role fixtures shared by every app's tests: one person per role, around one project.

The world: region A with clinics A1 (the project's lead clinic) and A2; region B with one
clinic. ``partner_user`` belongs to an organisation that is party to ``project``;
``other_partner_user`` to one that is not.
"""

import os

import pytest
from django.core.cache import cache

from config.celery import app as celery_app
from partners.models import Agreement
from tests.clinics.factories import (
    AdminFactory,
    ClinicFactory,
    LeaderFactory,
    RegionFactory,
    StaffFactory,
)
from tests.partners.factories import (
    PartnerOrganisationFactory,
    PartnerUserFactory,
    agreement_with_parties,
)
from tests.portfolio.digest_support import (
    CeleryWorker,
    SMTPTestServer,
    require_redis,
    test_broker_url,
    use_smtp_backend,
)
from tests.portfolio.factories import ProjectFactory


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite keep the test database in a file under var/, not in memory: the tests that run
    a real Celery worker (marked ``celery_worker``) need it to see the same database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # One file per pytest process, so two runs in one checkout (tests, bench) never meet.
        name = f"test_partnerskap_{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(settings.VAR_DIR / name)
        # A throwaway database: no fsync, so the file costs next to nothing over memory.
        options = database.setdefault("OPTIONS", {})
        options["init_command"] = options.get("init_command", "") + "PRAGMA synchronous=OFF;"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads of a test go to its own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a page rendered for a Swedish or Danish person
    activates their language in the test's thread, and it must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test's ids can come again on SQLite,
    so a cached dashboard of the previous test could otherwise match the next one's data."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing at production strength costs a third of a second per user: not in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def region(db):
    return RegionFactory(name="Region Västerbotten", slug="vasterbotten", language="sv")


@pytest.fixture
def other_region(db):
    return RegionFactory(name="Region Midtjylland", slug="midtjylland", language="da")


@pytest.fixture
def clinic(region):
    return ClinicFactory(region=region, name="Tandvårdskliniken Idun", slug="idun")


@pytest.fixture
def other_clinic(region):
    return ClinicFactory(region=region, name="Bjurholms hälsocentral", slug="bjurholm")


@pytest.fixture
def foreign_clinic(other_region):
    return ClinicFactory(region=other_region, name="Akutafdelingen", slug="akut")


@pytest.fixture
def staff_user(clinic):
    return StaffFactory(username="staff", clinic=clinic)


@pytest.fixture
def other_clinic_staff(other_clinic):
    return StaffFactory(username="staff_other", clinic=other_clinic)


@pytest.fixture
def leader(region):
    return LeaderFactory(username="leader", region=region)


@pytest.fixture
def other_region_leader(other_region):
    return LeaderFactory(username="leader_other", region=other_region)


@pytest.fixture
def admin_user(db):
    return AdminFactory(username="admin")


@pytest.fixture
def partner_organisation(db):
    return PartnerOrganisationFactory(name="Medtech Nord AB")


@pytest.fixture
def other_partner_organisation(db):
    return PartnerOrganisationFactory(name="Other Partner A/S")


@pytest.fixture
def project(clinic, leader):
    return ProjectFactory(lead_clinic=clinic, owner=leader, title="Digital dental triage")


@pytest.fixture
def agreement(project, partner_organisation):
    return agreement_with_parties(
        partner_organisation, project=project, status=Agreement.Status.PROPOSED
    )


@pytest.fixture
def partner_user(partner_organisation, agreement):
    return PartnerUserFactory(username="partner", organisation=partner_organisation)


@pytest.fixture
def other_partner_user(other_partner_organisation):
    return PartnerUserFactory(username="partner_other", organisation=other_partner_organisation)


# --- A real SMTP server, broker and worker (tests/portfolio/digest_support.py) ----------------


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that Django's SMTP backend sends to."""
    server = SMTPTestServer()
    server.start()
    use_smtp_backend(settings, server)
    yield server
    server.stop()


@pytest.fixture
def broker_url():
    url = test_broker_url()
    require_redis(url)
    return url


@pytest.fixture
def celery_worker_process(broker_url, smtp_server, tmp_path):
    """A real worker subprocess on the test database and broker; stopped after the test."""
    worker = CeleryWorker(broker_url=broker_url, email_url=smtp_server.url, log_dir=tmp_path)
    yield worker
    worker.stop()


@pytest.fixture
def send_to_broker(broker_url):
    """Put a task on the real broker from this (otherwise eager) test process."""

    def _send(task, *args, **kwargs):
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = False
        try:
            with celery_app.connection_for_write(broker_url) as connection:
                return task.apply_async(args=args, kwargs=kwargs, connection=connection)
        finally:
            celery_app.conf.task_always_eager = eager

    return _send


# Nothing listens on port 1: a connection is refused at once, as when Redis is down.
UNREACHABLE_BROKER_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down():
    """Celery as in production (a task is published to the broker, not run in the process),
    with the broker unreachable: every queueing fails as it does when Redis is down."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager = False
    conf.broker_url = UNREACHABLE_BROKER_URL
    celery_app._after_fork()  # forget pooled connections and producers of the other broker
    yield UNREACHABLE_BROKER_URL
    conf.task_always_eager, conf.broker_url = saved
    celery_app._after_fork()
