from collections.abc import Iterable

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from cityzero.accounts.models import (
    AdvisorAssignment,
    CityMembership,
    CityRole,
    Invitation,
    PlatformRole,
    TeamEvent,
    User,
)
from cityzero.cities.models import MISSION_CITY_STATUSES, City

TEAM_EVENTS_SHOWN = 30


def user_overview(user: User) -> dict:
    return {
        "memberships": CityMembership.objects.filter(user=user).select_related("city__country"),
        "advised": AdvisorAssignment.objects.filter(advisor=user).select_related("city__country"),
        "invitations": Invitation.objects.filter(
            email__iexact=user.email,
            accepted_at=None,
            revoked_at=None,
            expires_at__gt=timezone.now(),
        ).select_related("city"),
    }


def team_overview(city: City) -> dict:
    return {
        "members": CityMembership.objects.filter(city=city)
        .select_related("user")
        .order_by("role", "user__email"),
        "advisors": AdvisorAssignment.objects.filter(city=city).select_related("advisor"),
        "pending": Invitation.objects.filter(
            city=city, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ).select_related("invited_by"),
        "events": TeamEvent.objects.filter(city=city).select_related("actor")[:TEAM_EVENTS_SHOWN],
    }


def advisor_overview(*, q: str = "", without_advisor: bool = False) -> QuerySet[City]:
    """Cities with their advisors (and who assigned them), in three queries per page."""
    assignments = AdvisorAssignment.objects.select_related("advisor", "assigned_by").order_by(
        "advisor__full_name", "advisor__email"
    )
    cities = (
        City.objects.select_related("country")
        .prefetch_related(Prefetch("advisor_assignments", queryset=assignments))
        .order_by("name")
    )
    if q:
        cities = cities.filter(name__icontains=q)
    if without_advisor:
        cities = cities.filter(advisor_assignments__isnull=True)
    return cities


def mission_cities_without_advisor() -> int:
    return City.objects.filter(
        mission_status__in=MISSION_CITY_STATUSES, advisor_assignments__isnull=True
    ).count()


def advisors_with_load() -> QuerySet[User]:
    """Active advisors, each with ``city_count``, the number of cities they advise."""
    return (
        User.objects.filter(platform_role=PlatformRole.ADVISOR, is_active=True)
        .annotate(city_count=Count("advised_cities"))
        .order_by("full_name", "email")
    )


def city_advisors(city: City) -> list[User]:
    """The people staff assigned to advise the city, by name (one query)."""
    return [
        assignment.advisor
        for assignment in AdvisorAssignment.objects.filter(city=city)
        .select_related("advisor")
        .order_by("advisor__full_name", "advisor__email")
    ]


def city_editors(city_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active coordinators and editors of each city, in one query."""
    found: dict[int, list[User]] = {}
    for membership in CityMembership.objects.filter(
        city_id__in=list(city_ids), role__in=[CityRole.COORDINATOR, CityRole.EDITOR],
        user__is_active=True,
    ).select_related("user"):  # fmt: skip
        found.setdefault(membership.city_id, []).append(membership.user)
    return found
