"""The demo's monitored city: Valencia with an illustrative contract endorsed through the review
steps, a later inventory to hold against its pathway, a reporting plan, progress reports on its
actions and values of its indicators. All through the services editors use; safe to run again.
"""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from cityzero.cities.models import City, LabelRound
from cityzero.contracts.demo import load_demo_contract
from cityzero.contracts.models import Iteration
from cityzero.inventories import services as inventory_services
from cityzero.inventories.models import Inventory
from cityzero.monitoring import selectors, services
from cityzero.monitoring.models import (
    ActionReport,
    ComputedMetric,
    DataQuality,
    ImplementationStatus,
    IndicatorSetup,
    IndicatorValue,
    MonitoringPlan,
)
from cityzero.reviews.models import Transition
from cityzero.reviews.services import take_step

DATA = Path(__file__).resolve().parent / "data"
CONTRACT_FILE = DATA / "demo_contract_valencia.json"
INVENTORY_FILE = Path(__file__).resolve().parents[1] / "inventories" / "data" / "demo_inventory.csv"
BASE_YEAR = 2019
LATER_YEAR = 2023
#: How the later year's activity compares with the baseline's, by GPC sector: buildings and
#: waste fell more slowly than the pathway asks (off track), transport faster (on track).
LATER_SCALE = {"I": Decimal("0.8"), "II": Decimal("0.68"), "III": Decimal("0.85")}
FALLBACK_ROUND = "2024-03"

S = ImplementationStatus
ILLUSTRATIVE = "Illustrative demonstration report. "


@dataclass(frozen=True)
class DemoReport:
    action: str  # the action's name in the demo contract
    on: datetime.date
    status: str
    percent: int
    spend: int | None
    note: str
    public: bool
    milestone: str = ""
    milestone_on: datetime.date | None = None
    links: tuple[str, ...] = ()


def _d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


SOLAR = "Energy communities on public roofs"
RETROFIT = "Energy retrofit of social housing"
HEAT_PUMPS = "Heat pumps and efficient cooling for homes"
SUPERBLOCKS = "Superblocks and a low-emission zone"
BUSES = "Electric bus fleet"
BIOWASTE = "Separate biowaste collection in every district"
REUSE = "Reuse and repair centres"

DEMO_REPORTS = (
    DemoReport(SOLAR, _d("2024-06-30"), S.IN_PROGRESS, 20, 15_000_000,
               "First 12 energy communities on schools and markets.", True),
    DemoReport(SOLAR, _d("2025-06-30"), S.IN_PROGRESS, 45, 48_000_000,
               "38 communities running; 2,900 households take part.", True,
               links=("https://www.valencia.es/",)),
    DemoReport(SOLAR, _d("2026-06-30"), S.IN_PROGRESS, 70, 80_000_000,
               "61 communities; sports centres and the port sheds next.", True,
               "Port sheds connected", _d("2027-03-31")),
    DemoReport(RETROFIT, _d("2024-12-31"), S.IN_PROGRESS, 10, 30_000_000,
               "First 400 flats in Natzaret retrofitted.", True),
    DemoReport(RETROFIT, _d("2025-06-30"), S.DELAYED, 15, 52_000_000,
               "The main contractor became insolvent; works stopped on 1,100 flats while the "
               "lots are tendered again.", True, "New contracts signed", _d("2025-12-31")),
    DemoReport(RETROFIT, _d("2026-03-31"), S.IN_PROGRESS, 30, 95_000_000,
               "Works resumed in January with two new contractors; 2,300 flats done.", True,
               "Phase 2 tender", _d("2026-10-31")),
    DemoReport(HEAT_PUMPS, _d("2026-06-30"), S.IN_PROGRESS, 12, 21_000_000,
               "Subsidy scheme open since February; 3,400 applications.", False),
    DemoReport(SUPERBLOCKS, _d("2025-03-31"), S.PLANNED, 5, 400_000,
               "Design of the first three superblocks with neighbourhood assemblies.", False,
               "Low-emission zone ordinance in council", _d("2026-12-15")),
    DemoReport(SUPERBLOCKS, _d("2026-07-31"), S.DELAYED, 8, 900_000,
               "Traders' associations challenged the first superblock in court; works wait for "
               "the ruling.", False, "Court ruling", _d("2027-01-31")),
    DemoReport(BUSES, _d("2024-09-30"), S.IN_PROGRESS, 25, 40_000_000,
               "60 of 480 buses electric; Sant Isidre depot being electrified.", False),
    DemoReport(BUSES, _d("2026-09-30"), S.IN_PROGRESS, 60, 120_000_000,
               "290 electric buses in service; second depot converted.", True,
               links=("https://www.emtvalencia.es/",)),
    DemoReport(BIOWASTE, _d("2024-12-31"), S.IN_PROGRESS, 70, 5_500_000,
               "Brown bins in 14 of 19 districts.", True),
    DemoReport(BIOWASTE, _d("2025-12-31"), S.COMPLETED, 100, 7_600_000,
               "Brown bins in every district; 54 kg per inhabitant collected in 2025.", True,
               links=("https://www.valencia.es/",)),
    DemoReport(REUSE, _d("2026-09-30"), S.IN_PROGRESS, 85, 4_100_000,
               "Second centre cost more than planned: the building needed a new roof.", False,
               "Second centre opens", _d("2027-02-01")),
)  # fmt: skip

# indicator name, date, value, source, quality
DEMO_VALUES = (
    ("Homes heated and cooled without fossil fuel", "2023-12-31", "21",
     "Energy Office survey 2023", DataQuality.ESTIMATED),
    ("Homes heated and cooled without fossil fuel", "2024-12-31", "26",
     "Energy Office survey 2024", DataQuality.ESTIMATED),
    ("Homes heated and cooled without fossil fuel", "2025-12-31", "31",
     "Energy Office survey 2025", DataQuality.MEASURED),
    ("Car share of trips", "2024-06-30", "43", "Household travel survey 2024",
     DataQuality.MEASURED),
    ("Car share of trips", "2026-06-30", "39", "Household travel survey 2026",
     DataQuality.MEASURED),
    ("Biowaste collected separately", "2024-12-31", "48",
     "Municipal cleaning service statistics", DataQuality.MEASURED),
    ("Biowaste collected separately", "2025-12-31", "54",
     "Municipal cleaning service statistics", DataQuality.MEASURED),
)  # fmt: skip
PUBLIC_INDICATOR = "Homes heated and cooled without fossil fuel"
COMPUTED_INDICATOR = ("Mission-scope emissions", ComputedMetric.TOTAL)


def load_demo_monitoring(city: City, *, coordinator, staff, officer) -> Iteration | None:
    """Valencia's endorsed, monitored contract (``None`` if the city's contract went elsewhere:
    then nothing is added)."""
    iteration = _endorsed_contract(city, coordinator=coordinator, staff=staff, officer=officer)
    if iteration is None:
        return None
    _later_inventory(city, by=coordinator)
    if not MonitoringPlan.objects.filter(city=city).exists():
        services.update_plan(
            city, reporting_months=6, publish_emissions=True, base_version=0, by=coordinator
        )
    _reports(city, iteration, by=coordinator)
    _indicators(city, iteration, by=coordinator)
    return iteration


def _endorsed_contract(city: City, *, coordinator, staff, officer) -> Iteration | None:
    """The city's demo contract, walked from draft to endorsed as a city and the platform would;
    ``None`` when the city's contract has gone another way (then the demo leaves it alone)."""
    baseline = Inventory.objects.get(city=city, year=BASE_YEAR)
    iteration = load_demo_contract(city, baseline, by=coordinator, spec_file=CONTRACT_FILE)
    if iteration is None:  # loaded before (or the city's own): monitored if endorsed
        return selectors.endorsed_iteration(city)
    label_round = city.label_round or LabelRound.objects.filter(code=FALLBACK_ROUND).first()
    for code, actor, message, days_before_award in (
        ("submit", coordinator, "Illustrative submission for the demo.", 120),
        ("open_feedback", staff, "", 110),
        ("forward", staff, "", 60),
        ("endorse", officer, "Illustrative endorsement for the demo.", 0),
    ):
        step = take_step(iteration, code, by=actor, message=message,
                         label_round=label_round if code == "endorse" else None)  # fmt: skip
        # The demo's story: the contract was reviewed and endorsed in the city's label round,
        # so that its reports since then fall after the endorsement.
        day = label_round.awarded_on - datetime.timedelta(days=days_before_award)
        Transition.objects.filter(pk=step.pk).update(
            created_at=datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
        )
    iteration.refresh_from_db()
    return iteration


def scaled_inventory(data: bytes, scale: dict[str, Decimal]) -> bytes:
    """The demo inventory file with each row's quantity scaled by its GPC sector's factor."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    for row in rows:
        if row["quantity"]:
            factor = scale[row["gpc_ref"].split(".")[0]]
            row["quantity"] = f"{(Decimal(row['quantity']) * factor).normalize():f}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _later_inventory(city: City, *, by) -> None:
    if Inventory.objects.filter(city=city, year=LATER_YEAR).exists():
        return
    inventory = inventory_services.create_inventory(
        city, LATER_YEAR, gwp_set="AR6", visibility="public", by=by
    )
    Inventory.objects.filter(pk=inventory.pk).update(illustrative=True)
    inventory_services.import_file(
        inventory,
        filename=INVENTORY_FILE.name,
        data=scaled_inventory(INVENTORY_FILE.read_bytes(), LATER_SCALE),
        by=by,
    )


def _reports(city: City, iteration: Iteration, *, by) -> None:
    if ActionReport.objects.filter(city=city).exists():
        return
    actions = {action.name: action for action in iteration.actions.all()}
    for report in DEMO_REPORTS:
        if report.action not in actions:  # a contract other than the demo's
            continue
        services.report_progress(
            city,
            actions[report.action],
            services.ReportInput(
                reported_on=report.on,
                status=report.status,
                percent_done=report.percent,
                spend_to_date=None if report.spend is None else Decimal(report.spend),
                next_milestone=report.milestone,
                milestone_on=report.milestone_on,
                note=ILLUSTRATIVE + report.note,
                evidence_links=list(report.links),
                public=report.public,
            ),
            by=by,
        )


def _indicators(city: City, iteration: Iteration, *, by) -> None:
    indicators = {indicator.name: indicator for indicator in iteration.indicators.all()}
    set_up = set(IndicatorSetup.objects.filter(city=city).values_list("indicator_key", flat=True))
    name, metric = COMPUTED_INDICATOR
    for indicator_name, computed_from, public in (
        (PUBLIC_INDICATOR, "", True),
        (name, metric, False),
    ):
        indicator = indicators.get(indicator_name)
        if indicator is not None and indicator.key not in set_up:
            services.set_up_indicator(
                city, indicator, computed_from=computed_from, public=public, by=by
            )
    recorded = set(
        IndicatorValue.objects.filter(city=city).values_list("indicator_key", "measured_on")
    )
    for indicator_name, day, value, source, quality in DEMO_VALUES:
        indicator = indicators.get(indicator_name)
        if indicator is None or (indicator.key, _d(day)) in recorded:
            continue
        services.record_value(
            city,
            indicator,
            services.ValueInput(
                measured_on=_d(day),
                value=Decimal(value),
                unit=indicator.unit,
                source=source,
                quality=quality,
                note="Illustrative demonstration value.",
            ),
            by=by,
        )
