"""The adoption pages: the comparison's figures (computed by hand), the chart's text
alternative and table, a stale edit (409 with the current values), bad input next to the
field, the project page's section, what a partner reads, and query counts at two sizes."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evidence.models import Adoption, ClinicMeasurement
from evidence.selectors import progress_percent, project_comparison
from evidence.services.decisions import scale_decide
from portfolio.models import ValueMeasurement
from tests.clinics.factories import ClinicFactory
from tests.portfolio.factories import ValueIndicatorFactory

pytestmark = pytest.mark.django_db


def _days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def _measure(adoption, indicator, value, days_ago, user):
    return ClinicMeasurement.objects.create(
        adoption=adoption,
        indicator=indicator,
        value=Decimal(value),
        measured_on=_days_ago(days_ago),
        recorded_by=user,
    )


@pytest.mark.parametrize(
    ("baseline", "target", "latest", "expected"),
    [
        ("20", "10", "14", Decimal("60.0")),  # lower is better, 6 of 10 days gained
        ("20", "10", "25", Decimal("-50.0")),  # worse than the baseline
        ("50", "80", "90", Decimal("133.3")),  # higher is better, beyond the target
        ("50", "80", "60", Decimal("33.3")),
        ("50", "80", None, None),
    ],
)
def test_progress_respects_the_direction(baseline, target, latest, expected):
    assert (
        progress_percent(
            baseline=Decimal(baseline),
            target=Decimal(target),
            latest=None if latest is None else Decimal(latest),
        )
        == expected
    )


def test_the_comparison_figures(started_project, indicator, adoption, leader, other_clinic):
    # The pilot: the project's own newest measurement (16 → 40 %).
    ValueMeasurement.objects.create(
        indicator=indicator, value=Decimal("16"), measured_on=_days_ago(5), recorded_by=leader
    )
    indicator.latest_value, indicator.latest_measured_on = Decimal("16"), _days_ago(5)
    indicator.save()
    # The adopting clinic: its newest measurement counts (12 → 80 %), not the older 18.
    _measure(adoption, indicator, "18", 50, leader)
    _measure(adoption, indicator, "12", 3, leader)
    third = Adoption.objects.create(
        project=started_project, clinic=ClinicFactory(region=other_clinic.region, name="Zeta")
    )

    [comparison] = project_comparison(started_project)

    rows = [(r.clinic, r.status, r.latest, r.progress, r.on_target) for r in comparison.rows]
    assert rows == [
        (started_project.lead_clinic.name, "pilot", Decimal("16"), Decimal("40.0"), False),
        (other_clinic.name, "piloting", Decimal("12"), Decimal("80.0"), False),
        (third.clinic.name, "planned", None, None, False),
    ]
    assert comparison.rows[1].bar_percent == Decimal("80.0")


def test_the_comparison_page_shows_chart_and_table(
    client, started_project, indicator, adoption, leader, other_clinic
):
    _measure(adoption, indicator, "9", 3, leader)  # beyond the target: 110 %, bar full
    client.force_login(leader)
    page = client.get(reverse("evidence:comparison", kwargs={"pk": started_project.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="img"' in html and "<desc" in html
    assert f"{other_clinic.name}: 110 %." in html  # the chart's text alternative (sv)
    assert "<caption>" in html and 'scope="row"' in html
    assert 'width="180" height="18" fill="#198754"' in html  # a full bar: on target


def test_a_stale_edit_answers_409_with_the_current_values(client, adoption, leader):
    url = reverse("evidence:adoption_edit", kwargs={"pk": adoption.pk})
    client.force_login(leader)
    form = {
        "status": "adopted",
        "started_on": adoption.started_on.isoformat(),
        "adopted_on": _days_ago(1).isoformat(),
        "version": adoption.version,
    }
    assert client.post(url, form).status_code == 302
    stale = client.post(
        url,
        {**form, "status": "abandoned", "abandoned_on": _days_ago(0), "abandon_reason": "No"},
    )
    assert stale.status_code == 409
    assert stale.context["form"].data["status"] == "adopted"
    assert stale.context["form"].data["version"] == 2
    adoption.refresh_from_db()
    assert adoption.status == "adopted"


def test_bad_input_is_shown_next_to_the_field(client, adoption, indicator, leader):
    client.force_login(leader)
    edit = client.post(
        reverse("evidence:adoption_edit", kwargs={"pk": adoption.pk}),
        {
            "status": "abandoned",
            "started_on": adoption.started_on.isoformat(),
            "abandoned_on": _days_ago(0).isoformat(),
            "version": adoption.version,
        },
    )
    assert edit.status_code == 400
    assert "abandon_reason" in edit.context["form"].errors
    measure = client.post(
        reverse("evidence:measurement_create", kwargs={"pk": adoption.pk}),
        {
            "indicator": indicator.pk,
            "value": "abc",
            "measured_on": "2999-01-01",
        },
    )
    assert measure.status_code == 400
    assert set(measure.context["form"].errors) == {"value"}
    measure = client.post(
        reverse("evidence:measurement_create", kwargs={"pk": adoption.pk}),
        {"indicator": indicator.pk, "value": "3", "measured_on": "2999-01-01"},
    )
    assert measure.status_code == 400
    assert set(measure.context["form"].errors) == {"measured_on"}


def test_the_project_page_links_the_adoptions(client, adoption, partner_user, staff_user):
    url = reverse("portfolio:project_detail", kwargs={"pk": adoption.project_id})
    link = reverse("evidence:project_adoptions", kwargs={"pk": adoption.project_id})
    for user in (staff_user, partner_user):
        client.force_login(user)
        assert link in client.get(url).content.decode()


def test_a_partner_reads_where_not_the_figures_or_the_note(
    client, adoption, indicator, leader, partner_user
):
    scale_decide(
        project=adoption.project, actor=leader, outcome="continue", note="Internal reasoning."
    )
    client.force_login(partner_user)
    html = client.get(
        reverse("evidence:project_adoptions", kwargs={"pk": adoption.project_id})
    ).content.decode()
    assert adoption.clinic.name in html and "Continue piloting" in html
    assert "Internal reasoning." not in html
    assert reverse("evidence:comparison", kwargs={"pk": adoption.project_id}) not in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["project_adoptions", "comparison", "scale_decide"])
def test_query_counts_do_not_grow_with_clinics_or_measurements(
    client, started_project, leader, clinic, name
):
    client.force_login(leader)
    url = reverse(f"evidence:{name}", kwargs={"pk": started_project.pk})
    indicators = [ValueIndicatorFactory(project=started_project) for _ in range(2)]

    def grow(n):
        for _ in range(n):
            adoption = Adoption.objects.create(
                project=started_project,
                clinic=ClinicFactory(region=clinic.region),
                status="piloting",
                started_on=_days_ago(30),
            )
            for indicator in indicators:
                for days in (20, 10, 5):
                    _measure(adoption, indicator, "7", days, leader)

    grow(1)
    scale_decide(project=started_project, actor=leader, outcome="continue", note="More")
    client.get(url)  # warm the session and caches
    small = _queries(client, url)
    grow(4)
    assert _queries(client, url) == small
