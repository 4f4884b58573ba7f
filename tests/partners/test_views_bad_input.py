"""Whatever is posted to any partners form, the answer is a 4xx or a redirect, never a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAYLOADS = [
    {},
    {"title": "<script>alert(1)</script>", "parties-TOTAL_FORMS": "abc"},
    {"parties-TOTAL_FORMS": "99999", "parties-INITIAL_FORMS": "0", "version": "-1"},
    {"form": "income", "income-ip_item": "999", "action": "sign", "status": "done"},
]


@pytest.mark.parametrize("data", PAYLOADS)
def test_no_post_gives_a_500(client, leader, agreement, milestone, project, data):
    client.force_login(leader)
    targets = [
        ("agreement_create", {"project_pk": project.pk}),
        ("agreement_edit", {"pk": agreement.pk}),
        ("milestone_create", {"project_pk": project.pk}),
        ("milestone_edit", {"pk": milestone.pk}),
        ("milestone_detail", {"pk": milestone.pk}),
        ("milestone_reopen", {"pk": milestone.pk}),
        ("milestone_confirm", {"pk": milestone.pk}),
        ("agreement_ledger", {"pk": agreement.pk}),
        ("agreement_transition", {"pk": agreement.pk}),
        ("invitation_create", {}),
    ]
    for name, kwargs in targets:
        response = client.post(reverse(f"partners:{name}", kwargs=kwargs), data)
        assert response.status_code < 500, (name, data)
