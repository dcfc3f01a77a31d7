from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from cityzero.cities import selectors
from cityzero.cities.models import City
from cityzero.cities.sections import SPECS

router = Router(tags=["cities"])


class CountryOut(Schema):
    code: str
    name: str
    eu_member: bool


class LabelRoundRef(Schema):
    code: str
    name: str
    awarded_on: date


class CityOut(Schema):
    slug: str
    name: str
    country: CountryOut
    mission_status: str
    label_round: LabelRoundRef | None
    population: int | None
    population_source: str
    latitude: Decimal | None
    longitude: Decimal | None
    geonames_id: int | None


class CityFilters(FilterSchema):
    q: str | None = Field(None, max_length=100, description="Text in the city's name")
    country: str | None = Field(None, pattern="^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code")
    mission: bool | None = Field(
        None, description="Only mission cities (true) or only others (false)"
    )
    label_round: str | None = Field(
        None, max_length=20, description="Label round code, e.g. 2024-03"
    )
    sort: Literal[tuple(selectors.CITY_SORTS)] = "name"  # type: ignore[valid-type]


class CityPagination(PageNumberPagination):
    page_size = 50
    max_page_size = 200


@router.get("/cities", response=list[CityOut], summary="List cities")
@paginate(CityPagination)
def list_cities(request: HttpRequest, filters: Query[CityFilters]):
    return selectors.city_list(
        q=(filters.q or "").strip(),
        country=filters.country or "",
        mission=filters.mission,
        label_round=filters.label_round or "",
        sort=filters.sort,
    )


class SectionOut(Schema):
    kind: str
    title: str
    visibility: str
    version: int
    updated_at: str | None
    narrative_html: str
    ambition_html: str
    total_investment_eur: Decimal | None
    rows: list[dict[str, str | int | Decimal | None]]


class PublishedFiguresOut(Schema):
    """As the city's published Climate City Contract states them; null means not stated."""

    source_document: str
    baseline_year: int | None
    baseline_tco2e: Decimal | None
    stationary_energy_tco2e: Decimal | None
    electricity_tco2e: Decimal | None
    transport_tco2e: Decimal | None
    waste_tco2e: Decimal | None
    ippu_tco2e: Decimal | None
    ippu_note: str
    afolu_tco2e: Decimal | None
    latest_inventory_year: int | None
    latest_inventory_tco2e: Decimal | None
    target_reduction_pct: Decimal | None
    residual_pct: Decimal | None
    target_basis: str
    investment_need_eur: Decimal | None
    investment_basis: str
    n_actions: int | None
    n_actions_basis: str
    sources: dict[str, str]
    notes: str


class DossierOut(Schema):
    city: CityOut
    published_figures: PublishedFiguresOut | None
    sections: list[SectionOut]
    hidden_sections: int


def _section_out(section) -> dict:
    spec = SPECS[section.kind]
    rows = getattr(section, spec.related_name).all() if spec.related_name else []
    return {
        "kind": section.kind,
        "title": str(section.get_kind_display()),
        "visibility": section.visibility,
        "version": section.version,
        "updated_at": section.updated_at.isoformat() if section.updated_at else None,
        "narrative_html": section.narrative_html,
        "ambition_html": section.ambition_html,
        "total_investment_eur": section.total_investment_eur,
        "rows": [
            {
                name: getattr(row, f"{name}_id" if name == "partner_city" else name)
                for name in spec.row_fields
            }
            for row in rows
        ],
    }


@router.get(
    "/cities/{slug}", response=DossierOut, summary="A city and the dossier sections you may read"
)
def city_dossier(request: HttpRequest, slug: str):
    try:
        dossier = selectors.city_dossier(slug, request.user)
    except City.DoesNotExist:
        raise Http404("No city with this slug.") from None
    return {
        "city": dossier.city,
        "published_figures": dossier.figures,
        "sections": [_section_out(section) for section in dossier.sections],
        "hidden_sections": dossier.hidden_count,
    }


class EndorsedIterationOut(Schema):
    """Figures of the iteration's new actions; actions of existing plans are not included."""

    number: int
    target_year: int
    target_share_pct: float = Field(..., description="Reduction target, % of the baseline")
    baseline_year: int | None
    actions: int = Field(..., description="Number of new actions")
    investment_eur: float | None = Field(
        ...,
        description="Capital plus operating cost of the new actions; null: no action states one",
    )
    reductions_tco2e: float = Field(..., description="t CO2e per year by the target year")
    url: str = Field(..., description="The contract overview page")


class LabelledCityOut(Schema):
    slug: str
    name: str
    country_code: str
    country: CountryOut
    endorsed_iteration: EndorsedIterationOut | None = Field(
        ..., description="The newest endorsed iteration; null: its contract is not on the platform"
    )


class LabelRoundOut(LabelRoundRef):
    date_is_month_only: bool
    event: str
    source: str
    cities: list[LabelledCityOut]


def _endorsed_out(contract: selectors.EndorsedContract | None) -> dict | None:
    if contract is None:
        return None
    return {
        "number": contract.number,
        "target_year": contract.target_year,
        "target_share_pct": float(contract.target_share),
        "baseline_year": contract.baseline_year,
        "actions": contract.actions,
        "investment_eur": (
            None if contract.investment_eur is None else round(float(contract.investment_eur), 2)
        ),
        "reductions_tco2e": round(float(contract.reductions_tco2e), 3),
        "url": contract.url,
    }


@router.get(
    "/labels",
    response=list[LabelRoundOut],
    summary="Mission Label rounds, their cities and each city's endorsed contract",
)
def list_labels(request: HttpRequest):
    return [
        {
            "code": entry.round.code,
            "name": entry.round.name,
            "awarded_on": entry.round.awarded_on,
            "date_is_month_only": entry.round.date_is_month_only,
            "event": entry.round.event,
            "source": entry.round.source,
            "cities": [
                {
                    "slug": city.slug,
                    "name": city.name,
                    "country_code": city.country.code,
                    "country": city.country,
                    "endorsed_iteration": _endorsed_out(city.contract),
                }
                for city in entry.cities
            ],
        }
        for entry in selectors.label_registry().rounds
    ]
