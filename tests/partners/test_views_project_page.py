"""One project page for every role: the partnership's old address redirects to the portfolio's
page, which shows milestones, agreements and the ledger link to those who may see them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _page_url(project):
    return reverse("portfolio:project_detail", args=[project.pk])


def test_the_partnership_address_redirects_to_the_one_project_page(client, project, partner_user):
    client.force_login(partner_user)

    response = client.get(reverse("partners:project_detail", args=[project.pk]))

    assert response.status_code == 302
    assert response["Location"] == _page_url(project)


def test_a_foreign_id_still_answers_404_and_does_not_redirect(client, project, other_partner_user):
    client.force_login(other_partner_user)

    response = client.get(reverse("partners:project_detail", args=[project.pk]))

    assert response.status_code == 404


def test_the_steering_leader_plans_writes_and_opens_the_ledger_from_the_page(
    client, project, agreement, milestone, leader
):
    client.force_login(leader)

    html = client.get(_page_url(project)).content.decode()

    assert milestone.title in html
    assert reverse("partners:agreement_detail", args=[agreement.pk]) in html
    assert reverse("partners:milestone_create", args=[project.pk]) in html
    assert reverse("partners:agreement_create", args=[project.pk]) in html
    assert reverse("partners:agreement_ledger", args=[agreement.pk]) in html


def test_a_joint_leader_reads_the_ledger_but_plans_and_writes_nothing(
    client, project, agreement, milestone, joint_leader
):
    client.force_login(joint_leader)

    html = client.get(_page_url(project)).content.decode()

    assert reverse("partners:agreement_ledger", args=[agreement.pk]) in html
    assert reverse("partners:milestone_create", args=[project.pk]) not in html
    assert reverse("partners:agreement_create", args=[project.pk]) not in html


def test_a_partner_sees_milestones_and_its_agreement_but_no_ledger_or_forms(
    client, project, agreement, milestone, partner_user
):
    client.force_login(partner_user)

    html = client.get(_page_url(project)).content.decode()

    assert milestone.title in html
    assert reverse("partners:agreement_detail", args=[agreement.pk]) in html
    assert reverse("partners:agreement_ledger", args=[agreement.pk]) not in html
    assert reverse("partners:milestone_create", args=[project.pk]) not in html
    assert reverse("partners:agreement_create", args=[project.pk]) not in html


def test_clinic_staff_see_milestones_but_no_agreements(
    client, project, agreement, milestone, staff_user
):
    client.force_login(staff_user)

    html = client.get(_page_url(project)).content.decode()

    assert milestone.title in html
    assert reverse("partners:agreement_detail", args=[agreement.pk]) not in html


def test_partnership_pages_link_back_to_the_one_project_page(
    client, project, agreement, partner_user
):
    client.force_login(partner_user)

    html = client.get(reverse("partners:agreement_detail", args=[agreement.pk])).content.decode()

    assert f'href="{_page_url(project)}"' in html
    assert reverse("partners:project_detail", args=[project.pk]) not in html
