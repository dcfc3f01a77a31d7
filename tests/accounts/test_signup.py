import re

import pytest
from django.core import mail
from django.urls import reverse

from cityzero.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passphrase-42"


def sign_up(client, email="new.person@example.org"):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def test_sign_up_requires_confirming_the_email_before_signing_in(client):
    sign_up(client)
    assert len(mail.outbox) == 1
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new.person@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse(
        "account_email_verification_sent"
    )
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    client.post(link.split("testserver", 1)[-1])
    response = client.post(
        reverse("account_login"), {"login": "new.person@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("accounts:home")


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "not-an-email", "password1": PASSWORD, "password2": PASSWORD}, "valid email"),
        ({"email": "a@example.org", "password1": "short", "password2": "short"}, "too short"),
        ({"email": "a@example.org", "password1": PASSWORD, "password2": "other"}, "same password"),
        ({"email": "", "password1": PASSWORD, "password2": PASSWORD}, "required"),
    ],
)
def test_bad_sign_up_is_refused(client, data, message):
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not User.objects.exists()


def test_an_address_can_sign_up_only_once_without_revealing_it(client):
    sign_up(client)
    client.logout()
    response = sign_up(client, email="NEW.person@example.org")
    # The same answer as a fresh sign-up, so nobody learns which addresses have accounts...
    assert response.status_code == 302 and response.url == reverse(
        "account_email_verification_sent"
    )
    # ...while the owner of the address is told by email, and no second account exists.
    assert User.objects.count() == 1
    assert mail.outbox[-1].to == ["new.person@example.org"]
