"""The demo's community: a group of each visibility with real content, shown on the pages."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cityzero.accounts.models import User
from cityzero.community.models import Event, Group, Notification, SharedFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


def test_the_demo_has_a_group_of_each_visibility_with_content_and_loads_twice(client, demo):
    assert sorted(Group.objects.values_list("visibility", flat=True)) == [
        "private",
        "public",
        "secret",
    ]
    call_command("load_demo", stdout=io.StringIO())
    assert Group.objects.count() == 3 and Event.objects.count() == 2
    assert SharedFile.objects.count() == 1
    valencia = User.objects.get(email="valencia@demo.cityzero.eu")
    assert Notification.objects.filter(recipient=valencia, kind="mention").count() == 1
    client.force_login(User.objects.get(email="editor@demo.cityzero.eu"))
    group = Group.objects.get(visibility="public")
    page = client.get(reverse("community:group", args=[group.slug])).content.decode()
    assert "Tendering a heat network concession" in page and "heat-tender-checklist.md" in page
    directory = client.get(reverse("community:groups")).content.decode()
    assert "Pilot Cities 2024 cohort" in directory and "Mission Board" not in directory
    assert (
        "Webinar: financing heat networks"
        in client.get(reverse("community:events")).content.decode()
    )
