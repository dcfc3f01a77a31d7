from django.utils import timezone

from cityzero.accounts.models import AdvisorAssignment, CityMembership, Invitation, TeamEvent, User
from cityzero.cities.models import City

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
