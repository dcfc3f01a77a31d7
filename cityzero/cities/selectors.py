from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.db.models import (
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cityzero.accounts.permissions import roles_of, visibilities_for
from cityzero.cities.charts import needs_profile_svg
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
    NeedsAssessment,
    PublishedFigures,
    SectionKind,
    SectionRevision,
    Stakeholder,
)
from cityzero.cities.needs import AreaResult, Level, Question, area_results
from cityzero.cities.sections import SPECS
from cityzero.contracts.selectors import EndorsedContract, endorsed_contracts, latest_endorsed
from cityzero.core.cache import cached_by_data_version, public_data_version
from cityzero.transition.selectors import CityProgress, progress_summary

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

    @cached_property
    def transition(self) -> CityProgress:
        """Steps done and in progress per phase of the Climate Transition Map (one query)."""
        return progress_summary(self.city)

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
        .annotate(endorsed_number=Subquery(latest_endorsed(OuterRef("pk")).values("number")))
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


def label_registry(*, country: str = "") -> LabelRegistry:
    """Every labelled city by round, with its endorsed contract's summary, in three queries."""
    rounds = list(label_rounds())
    cities = City.objects.filter(label_round__isnull=False).select_related("country")
    if country:
        cities = cities.filter(country__code=country)
    found = list(cities.order_by("name"))
    contracts = endorsed_contracts(cities, {c.pk: c.slug for c in found}) if found else {}
    by_round: dict[int, list[LabelledCity]] = {}
    for city in found:
        by_round.setdefault(city.label_round_id, []).append(
            LabelledCity(city.slug, city.name, city.country, contracts.get(city.pk))
        )
    return LabelRegistry([RegistryRound(r, r.city_count, by_round.get(r.pk, [])) for r in rounds])


def dossier_barriers(city: City) -> list[Barrier]:
    """The dossier's barriers (a team-level read: check the reader may see the team's view)."""
    return list(Barrier.objects.filter(section__city=city).order_by("position", "pk"))


def dossier_barriers_and_stakeholders(city: City) -> tuple[list[Barrier], list[Stakeholder]]:
    """The dossier's barriers and stakeholders, for a contract to start from (team-level read)."""
    barriers = dossier_barriers(city)
    stakeholders = list(Stakeholder.objects.filter(section__city=city).order_by("position", "pk"))
    return barriers, stakeholders


# --- The support needs assessment -----------------------------------------------------------------


@dataclass(frozen=True)
class NeedsView:
    """An assessment with its results per area; the first of a city's history is the current."""

    assessment: NeedsAssessment
    results: list[AreaResult]
    answers: dict[str, int]
    is_current: bool

    @property
    def needing_support(self) -> list[AreaResult]:
        """Weak areas and those the advisor marked as a priority, weakest first."""
        found = [result for result in self.results if result.needs_support]
        return sorted(found, key=lambda r: (r.score is None, r.score or 0))

    @property
    def chart_svg(self) -> str:
        title = _("Capacity by area, %(date)s (1 initial to 4 advanced)") % {
            "date": date_format(self.assessment.assessed_on, "DATE_FORMAT")
        }
        chart_id = f"needs-chart-{self.assessment.pk}"
        return needs_profile_svg(self.results, title=title, chart_id=chart_id)

    def by_area(self) -> list[tuple[AreaResult, list[tuple[Question, Level | None]]]]:
        """Each area's result with its statements and their levels (None: not assessed)."""
        return [
            (result, [(q, _level(self.answers.get(q.code))) for q in result.area.questions])
            for result in self.results
        ]


def _level(score: int | None) -> Level | None:
    return None if score is None else Level(score)


def _needs_assessments() -> QuerySet[NeedsAssessment]:
    return NeedsAssessment.objects.select_related("assessor", "updated_by").prefetch_related(
        "answers", "areas"
    )


def _needs_view(assessment: NeedsAssessment, *, is_current: bool) -> NeedsView:
    answers = {answer.question: answer.score for answer in assessment.answers.all()}
    areas = {area.area: (area.support, area.note) for area in assessment.areas.all()}
    return NeedsView(assessment, area_results(answers, areas), answers, is_current)


def current_needs(city: City) -> NeedsView | None:
    """The city's newest assessment, in three queries (a team-level read)."""
    newest = _needs_assessments().filter(city=city).order_by("-assessed_on").first()
    return _needs_view(newest, is_current=True) if newest else None


def needs_history(city: City) -> list[NeedsView]:
    """Every assessment of the city, newest (the current one) first, in three queries."""
    assessments = _needs_assessments().filter(city=city).order_by("-assessed_on")
    return [_needs_view(a, is_current=n == 0) for n, a in enumerate(assessments)]
