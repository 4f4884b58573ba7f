import pytest
from django.urls import reverse

from portfolio.models import Idea
from tests.portfolio.conftest import PDF_BYTES, upload

pytestmark = pytest.mark.django_db


def test_smoke(client, staff_user, leader):
    client.force_login(staff_user)
    r = client.get(reverse("portfolio:idea_create"))
    assert r.status_code == 200
    token = r.context["form"]["submission_token"].value()
    data = {"title": "Text reminders", "problem": "Patients forget visits", "clinic": staff_user.clinic_id,
            "submission_token": token, "action": "submit", "attachments": upload("a.pdf", PDF_BYTES)}
    r = client.post(reverse("portfolio:idea_create"), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    idea = Idea.objects.get()
    assert idea.assigned_leader == leader
    for name in ["portfolio:my_ideas", "portfolio:challenges_open", "portfolio:notifications", "portfolio:notification_settings"]:
        assert client.get(reverse(name)).status_code == 200
    r = client.get(reverse("portfolio:idea_detail", args=[idea.pk]))
    assert r.status_code == 200
    print(r.content.decode()[-3000:])
    r = client.get(reverse("portfolio:idea_attachment", args=[idea.pk, idea.attachments.get().pk]))
    assert r.status_code == 200
    assert r.get("Content-Disposition")
    r = client.get(reverse("portfolio:similar_ideas"), {"title": "Text reminders"})
    print(r.content.decode())
    r = client.get(reverse("clinics:detail", args=[staff_user.clinic_id]))
    assert r.status_code == 200
    client.force_login(leader)
    r = client.get(reverse("portfolio:idea_detail", args=[idea.pk]))
    assert r.status_code == 200
