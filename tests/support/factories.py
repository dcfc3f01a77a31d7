"""Expert requests for tests, made through the services as the pages make them."""

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.support import services
from cityzero.support.models import ExpertRequest, Side
from tests.factories import MembershipFactory, UserFactory


def expert(**fields):
    return UserFactory(platform_role=PlatformRole.REVIEWER, **fields)


def ask(city, *, by=None, topic: str = "Financing school retrofits", **fields) -> ExpertRequest:
    asker = by or MembershipFactory(city=city, role=CityRole.EDITOR).user
    fields.setdefault("question", "Which financing fits 14 schools?")
    return services.file_request(city, topic=topic, by=asker, **fields)


def routed(city, *, to=None, **fields) -> ExpertRequest:
    request = ask(city, **fields)
    return services.route_request(request, expert=to or expert(), by=UserFactory(
        platform_role=PlatformRole.STAFF))  # fmt: skip


def answered(city, **fields) -> ExpertRequest:
    request = routed(city, **fields)
    services.post_message(request, body="Energy performance contracting.", side=Side.EXPERT,
                          answer=True, by=request.expert)  # fmt: skip
    request.refresh_from_db()
    return request
