from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from cityzero.accounts.permissions import roles_of, visibilities_for
from cityzero.cities.maps import MapPoint, RoundBar, europe_map_svg, label_timeline_svg
from cityzero.cities.models import (
    MISSION_CITY_STATUSES,
    Barrier,
    City,
    Collaboration,
    Country,
    DossierSection,
    LabelRound,
    MissionStatus,
    PublishedFigures,
    SectionKind,
    SectionRevision,
    Stakeholder,
)
from cityzero.cities.sections import SPECS
from cityzero.contracts.models import REDUCTION_FIELDS, Iteration, IterationStatus
from cityzero.core.cache import cached_by_data_version, public_data_version

CITY_SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    "country": ("country__name", "name"),
    "population": ("-population", "name"),
    "label": ("label_round__awarded_on", "name"),
}


def city_list(
    *,
    q: str = "",
    country: str = "",
    mission: bool | None = None,
    label_round: str = "",
    sort: str = "name",
) -> QuerySet[City]:
    cities = City.objects.select_related("country", "label_round")
    if q:
        cities = cities.filter(name__icontains=q)
    if country:
        cities = cities.filter(country__code=country)
    if mission is True:
        cities = cities.filter(mission_status__in=MISSION_CITY_STATUSES)
    elif mission is False:
        cities = cities.exclude(mission_status__in=MISSION_CITY_STATUSES)
    if label_round:
        cities = cities.filter(label_round__code=label_round)
    return cities.order_by(*CITY_SORTS.get(sort, CITY_SORTS["name"]))


def countries_with_cities() -> QuerySet[Country]:
    return Country.objects.filter(cities__isnull=False).distinct().order_by("name")


def label_rounds() -> QuerySet[LabelRound]:
    return LabelRound.objects.annotate(city_count=Count("cities")).order_by("awarded_on")


class DossierView:
    """A city's dossier as one person may read it; the sections are read on first use only,
    so a page that has the rendered sections in its cache never queries them."""

    def __init__(self, city: City, levels: set[str]) -> None:
        self.city = city
        self.levels = levels
        self.figures: PublishedFigures | None = getattr(city, "published_figures", None)

    @cached_property
    def _written(self) -> list[DossierSection]:
        by_kind = {s.kind: s for s in _sections_with_rows().filter(city=self.city)}
        return [by_kind[kind] for kind in SPECS if kind in by_kind]

    @cached_property
    def sections(self) -> list[DossierSection]:
        return [section for section in self._written if section.visibility in self.levels]

    @property
    def hidden_count(self) -> int:
        return len(self._written) - len(self.sections)

    @property
    def missing_kinds(self) -> list[SectionKind]:
        written = {section.kind for section in self._written}
        return [SectionKind(kind) for kind in SPECS if kind not in written]

    def cache_key(self, *flags: bool) -> str:
        """Same key, same rendering: the city, what may be read, and the viewer's links."""
        levels = ",".join(sorted(self.levels))
        marks = "".join(str(int(flag)) for flag in flags)
        return f"{self.city.pk}:{levels}:{marks}:{public_data_version()}"


def _sections_with_rows() -> QuerySet[DossierSection]:
    related = [spec.related_name for spec in SPECS.values() if spec.related_name]
    related.remove("collaborations")
    return DossierSection.objects.select_related("updated_by").prefetch_related(
        *related,
        Prefetch("collaborations", queryset=Collaboration.objects.select_related("partner_city")),
    )


def section_row_values(section: DossierSection) -> list[dict[str, Any]]:
    """A section's rows as plain values, foreign keys as ids: what forms and snapshots use."""
    spec = SPECS[section.kind]
    if spec.related_name is None:
        return []
    values = getattr(section, spec.related_name).values_list(*spec.row_value_names)
    return [dict(zip(spec.row_fields, row, strict=True)) for row in values]


def section_with_rows(pk: int) -> DossierSection:
    return _sections_with_rows().get(pk=pk)


def city_dossier(slug: str, user: Any) -> DossierView:
    """The city and the dossier sections this person may read, in the order of the template.

    ``city.endorsed_number`` is the number of its latest endorsed contract iteration, or None.
    """
    city = (
        City.objects.select_related("country", "label_round", "published_figures")
        .annotate(endorsed_number=Subquery(_latest_endorsed(OuterRef("pk")).values("number")))
        .get(slug=slug)
    )
    return DossierView(city, visibilities_for(roles_of(user), city.pk))


def section_revisions(section: DossierSection) -> QuerySet[SectionRevision]:
    return section.revisions.select_related("author").order_by("-version")


@dataclass(frozen=True)
class MissionOverview:
    mission_cities: int
    labelled_cities: int
    countries: int
    eu_countries: int
    population: int
    rounds: list[dict[str, Any]]
    timeline_svg: str
    map_svg: str


def _mission_overview() -> MissionOverview:
    mission = City.objects.filter(mission_status__in=MISSION_CITY_STATUSES)
    totals = mission.aggregate(
        cities=Count("id"),
        labelled=Count("id", filter=Q(mission_status=MissionStatus.LABELLED)),
        countries=Count("country", distinct=True),
        eu_countries=Count("country", distinct=True, filter=Q(country__eu_member=True)),
        population=Sum("population"),
    )
    rounds = list(
        label_rounds().values(
            "code", "name", "awarded_on", "date_is_month_only", "event", "city_count"
        )
    )
    cumulative = 0
    for row in rounds:
        cumulative += row["city_count"]
        row["cumulative"] = cumulative
    points = [
        MapPoint(name, reverse("cities:detail", args=[slug]), status, float(lon), float(lat))
        for name, slug, status, lon, lat in City.objects.exclude(latitude=None)
        .order_by("name")
        .values_list("name", "slug", "mission_status", "longitude", "latitude")
    ]
    return MissionOverview(
        mission_cities=totals["cities"],
        labelled_cities=totals["labelled"],
        countries=totals["countries"],
        eu_countries=totals["eu_countries"],
        population=totals["population"] or 0,
        rounds=rounds,
        timeline_svg=label_timeline_svg(
            [RoundBar(_round_label(r["awarded_on"]), r["city_count"]) for r in rounds]
        ),
        map_svg=europe_map_svg(points),
    )


def _round_label(awarded_on: date) -> str:
    return awarded_on.strftime("%b %Y")


def mission_overview() -> MissionOverview:
    """Mission figures and charts, computed once per change of public data."""
    return cached_by_data_version("mission-overview", _mission_overview)  # type: ignore[return-value]


# --- The Mission Label registry ---------------------------------------------------------------


def _latest_endorsed(city: Any) -> QuerySet[Iteration]:
    """The city's newest endorsed contract iteration (as a subquery: ``city`` is an OuterRef)."""
    endorsed = Iteration.objects.filter(contract__city=city, status=IterationStatus.ENDORSED)
    return endorsed.order_by("-number")[:1]


_EUROS = DecimalField(max_digits=24, decimal_places=2)
_TONNES = DecimalField(max_digits=24, decimal_places=3)
_NEW_ACTION = Q(actions__existing_plan=False)


@dataclass(frozen=True)
class EndorsedContract:
    """The public summary of a city's endorsed contract iteration.

    The figures are those of its new actions (the portfolio), as on the contract's overview
    page: actions taken over from existing plans are counted apart and not included.
    """

    number: int
    target_year: int
    target_share: Decimal  # percent of the baseline
    baseline_year: int | None
    actions: int
    investment_eur: Decimal | None  # capex + opex; None when no new action states a cost
    reductions_tco2e: Decimal  # per year, by the target year
    url: str


@dataclass(frozen=True)
class LabelledCity:
    slug: str
    name: str
    country: Country
    contract: EndorsedContract | None  # None: the endorsed contract is not on the platform

    @property
    def url(self) -> str:
        return reverse("cities:detail", args=[self.slug])


@dataclass(frozen=True)
class RegistryRound:
    round: LabelRound
    city_count: int  # every city labelled in the round, whatever the filter
    cities: list[LabelledCity]


@dataclass(frozen=True)
class LabelRegistry:
    rounds: list[RegistryRound]  # oldest first

    @property
    def newest_first(self) -> list[RegistryRound]:
        return self.rounds[::-1]

    @property
    def cities(self) -> list[LabelledCity]:
        return [city for entry in self.rounds for city in entry.cities]

    @property
    def with_contract(self) -> int:
        return sum(1 for city in self.cities if city.contract is not None)

    @cached_property
    def timeline_svg(self) -> str:
        return label_timeline_svg(
            [RoundBar(_round_label(r.round.awarded_on), r.city_count) for r in self.rounds]
        )


def countries_with_labels() -> QuerySet[Country]:
    return Country.objects.filter(cities__label_round__isnull=False).distinct().order_by("name")


def _endorsed_contracts(
    cities: QuerySet[City], slugs: dict[int, str]
) -> dict[int, EndorsedContract]:
    """Each city's newest endorsed iteration with its portfolio figures, in one query."""
    first, *others = (F(f"actions__{name}") for name in REDUCTION_FIELDS.values())
    reductions = sum(others, first)
    zero = Value(Decimal(0), output_field=_EUROS)
    rows = (
        Iteration.objects.filter(
            contract__city__in=cities.values("pk"),
            pk=Subquery(_latest_endorsed(OuterRef("contract__city")).values("pk")),
        )
        .order_by()
        .values("pk", "number", "target_year", "target_share", "baseline__year", "contract__city")
        .annotate(
            n_actions=Count("actions", filter=_NEW_ACTION),
            n_costed=Count(
                "actions",
                filter=_NEW_ACTION
                & (Q(actions__capex__isnull=False) | Q(actions__opex__isnull=False)),
            ),
            investment=Sum(
                Coalesce("actions__capex", zero) + Coalesce("actions__opex", zero),
                filter=_NEW_ACTION,
                output_field=_EUROS,
            ),
            reductions=Sum(reductions, filter=_NEW_ACTION, output_field=_TONNES),
        )
    )
    return {
        row["contract__city"]: EndorsedContract(
            number=row["number"],
            target_year=row["target_year"],
            target_share=row["target_share"],
            baseline_year=row["baseline__year"],
            actions=row["n_actions"],
            investment_eur=row["investment"] if row["n_costed"] else None,
            reductions_tco2e=row["reductions"] or Decimal(0),
            url=reverse("contracts:overview", args=[slugs[row["contract__city"]], row["number"]]),
        )
        for row in rows
    }


def label_registry(*, country: str = "") -> LabelRegistry:
    """Every labelled city by round, with its endorsed contract's summary, in three queries."""
    rounds = list(label_rounds())
    cities = City.objects.filter(label_round__isnull=False).select_related("country")
    if country:
        cities = cities.filter(country__code=country)
    found = list(cities.order_by("name"))
    contracts = _endorsed_contracts(cities, {c.pk: c.slug for c in found}) if found else {}
    by_round: dict[int, list[LabelledCity]] = {}
    for city in found:
        by_round.setdefault(city.label_round_id, []).append(
            LabelledCity(city.slug, city.name, city.country, contracts.get(city.pk))
        )
    return LabelRegistry([RegistryRound(r, r.city_count, by_round.get(r.pk, [])) for r in rounds])


def dossier_barriers_and_stakeholders(city: City) -> tuple[list[Barrier], list[Stakeholder]]:
    """The dossier's barriers and stakeholders, for a contract to start from (team-level read)."""
    barriers = list(Barrier.objects.filter(section__city=city).order_by("position", "pk"))
    stakeholders = list(Stakeholder.objects.filter(section__city=city).order_by("position", "pk"))
    return barriers, stakeholders
