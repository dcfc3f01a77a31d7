import pytest
from django.core.cache import cache

from cityzero.accounts.models import CityRole, PlatformRole
from tests.factories import AdvisorAssignmentFactory, CityFactory, MembershipFactory, UserFactory

# The roles the authorization matrix walks: platform roles, city roles, and outsiders.
ROLE_NAMES = [
    "anonymous",
    "member",
    "viewer",
    "editor",
    "coordinator",
    "editor_of_other_city",
    "advisor_of_city",
    "advisor_elsewhere",
    "reviewer",
    "officer",
    "staff",
]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a fresh directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def city(db):
    return CityFactory(name="Aachen", slug="aachen")


@pytest.fixture
def other_city(db):
    return CityFactory(name="Valencia", slug="valencia")


@pytest.fixture
def make_person(db, city, other_city):
    """A user holding the named role with respect to `city`; None for anonymous."""

    def make(role: str):
        if role == "anonymous":
            return None
        if role in ("viewer", "editor", "coordinator"):
            return MembershipFactory(city=city, role=CityRole(role)).user
        if role == "editor_of_other_city":
            return MembershipFactory(city=other_city, role=CityRole.EDITOR).user
        if role == "advisor_of_city":
            return AdvisorAssignmentFactory(city=city).advisor
        if role == "advisor_elsewhere":
            return AdvisorAssignmentFactory(city=other_city).advisor
        platform_role = {
            "member": PlatformRole.NONE,
            "reviewer": PlatformRole.REVIEWER,
            "officer": PlatformRole.COMMISSION_OFFICER,
            "staff": PlatformRole.STAFF,
        }[role]
        return UserFactory(platform_role=platform_role)

    return make


@pytest.fixture
def settings_without_mfa(settings):
    settings.MFA_REQUIRED = False
    return settings
