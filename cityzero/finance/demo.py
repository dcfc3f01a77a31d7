"""The demo city's saved result of the Finance Guidance Tool, so that its dossier and investment
plan (IP-A2) show one. Safe to run again."""

from cityzero.cities.models import City
from cityzero.finance import reference, services
from cityzero.finance.models import SavedResult

DEMO_TITLE = "Deep retrofit of 12 schools: funding options"
DEMO_NOTE = (
    "Illustrative demonstration content. The school retrofit programme of the heat plan, "
    "run by the municipal building company; to be discussed with the treasury before the "
    "investment plan is updated."
)
#: A €8.5M retrofit of schools by the city's building company, with bill savings and a payback
#: of 7 to 15 years, limited room to borrow.
DEMO_ANSWERS = {
    "fields": ["buildings", "energy"],
    "stage": ["feasibility"],
    "size": ["8500000"],
    "owner": ["municipal_company"],
    "risk": ["proven"],
    "timeline": ["1_to_3_years"],
    "revenue": ["partly"],
    "savings": ["yes"],
    "payback": ["medium"],
    "borrowing": ["limited"],
    "assistance": ["some"],
    "cobenefits": ["social", "jobs"],
}


def load_demo_funding(city: City, *, by) -> SavedResult | None:
    """The funding types (if missing), their knowledge links, and one public saved result."""
    reference.load_funding()
    reference.link_knowledge_entries()
    if SavedResult.objects.filter(city=city, title=DEMO_TITLE).exists():
        return None
    return services.save_result(
        city, answers=DEMO_ANSWERS, title=DEMO_TITLE, note=DEMO_NOTE, public=True, by=by
    )
