import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import AdvisorAssignmentFactory, MembershipFactory, save_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, make_person, city, settings_without_mfa):
    MembershipFactory(city=city)
    AdvisorAssignmentFactory(city=city)
    save_section(city, "vision", "public", "x")
    client.force_login(make_person("staff"))
    return client


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_staff_can_open_every_admin_list_and_change_page(staff_client, model):
    info = (model._meta.app_label, model._meta.model_name)
    assert staff_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        assert (
            staff_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code
            == 200
        )


def test_platform_staff_cannot_make_a_superuser(staff_client, make_person):
    target = make_person("member")
    page = staff_client.get(
        reverse("admin:accounts_user_change", args=[target.pk])
    ).content.decode()
    assert 'name="is_superuser"' not in page
