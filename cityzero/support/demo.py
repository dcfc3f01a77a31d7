"""The demo's expert request: Aachen's editor asks about financing school retrofits, the staff
route it to an advisor, who answers. Made through the same services the pages use."""

from cityzero.cities.models import City
from cityzero.support import services
from cityzero.support.models import ExpertRequest, Side

TOPIC = "Financing deep retrofits of our schools"
QUESTION = """*Illustrative demonstration content.*

We want to retrofit **14 school buildings** (about €38 million) by 2029, but our debt ceiling
leaves little room for new loans. Which financing models have other cities used for school
retrofits, and what would an energy performance contract need from us?"""
ANSWER = """*Illustrative demonstration content.*

Three routes fit a programme of this size:

1. **Energy performance contracting** with guaranteed savings: the ESCO finances part of the
   works and is paid from the energy saved. Bundle the schools into one or two lots so that the
   contract is large enough, and budget for a facilitator.
2. **EIB framework loan** through your regional promotional bank, which may sit outside the debt
   ceiling when it finances revenue-generating assets: ask your finance department to check.
3. **ELENA** project development assistance (EIB) pays up to 90% of the preparation costs for
   programmes above €30 million.

Start with an energy audit of the 14 schools: every route needs it."""


def load_demo_request(city: City, *, requester, staff, expert) -> ExpertRequest | None:
    """The answered request, unless the city has asked anything already."""
    if ExpertRequest.objects.filter(city=city).exists():
        return None
    request = services.file_request(
        city, topic=TOPIC, field_of_action="buildings", question=QUESTION, by=requester
    )
    services.route_request(request, expert=expert, by=staff)
    services.post_message(request, body=ANSWER, side=Side.EXPERT, answer=True, by=expert)
    request.refresh_from_db()
    return request
