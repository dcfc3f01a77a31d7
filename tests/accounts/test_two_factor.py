import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["staff", "reviewer", "officer"])
def test_roles_with_platform_power_must_set_up_two_factor(client, make_person, role):
    client.force_login(make_person(role))
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")


@pytest.mark.parametrize("role", ["member", "editor", "advisor_of_city"])
def test_other_roles_may_choose_two_factor(client, make_person, role):
    client.force_login(make_person(role))
    assert client.get(reverse("accounts:home")).status_code == 200


def test_staff_with_an_authenticator_goes_on(client, make_person):
    from allauth.mfa.models import Authenticator

    staff = make_person("staff")
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    assert client.get(reverse("accounts:home")).status_code == 200


def test_staff_signing_in_lands_on_two_factor_setup(client, make_person):
    staff = make_person("staff")
    client.post(
        reverse("account_login"), {"login": staff.email, "password": "correct-horse-battery"}
    )
    response = client.get(reverse("accounts:home"), follow=True)
    assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
    # allauth asks for the password once more before showing a new TOTP secret.
    client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery"})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200 and "authenticator" in page.content.decode().lower()
