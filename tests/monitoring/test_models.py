"""The database refuses what the services would never write: the constraints behind them."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from cityzero.contracts.models import Action, Indicator
from cityzero.monitoring.models import (
    ActionReport,
    IndicatorSetup,
    IndicatorValue,
    MonitoringPlan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def heating(endorsed):
    return Action.objects.get(iteration=endorsed, name="District heating")


@pytest.fixture
def homes(endorsed):
    return Indicator.objects.get(iteration=endorsed)


def save_report(city, action, **fields):
    data = {"reported_on": datetime.date(2026, 3, 1), "status": "in_progress", "percent_done": 50}
    return ActionReport.objects.create(city=city, action=action, action_key=action.key,
                                       **(data | fields))  # fmt: skip


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_a_valid_report_is_stored(city, heating):
    save_report(city, heating, percent_done=100, status="completed", spend_to_date=Decimal(0))
    assert ActionReport.objects.count() == 1


def test_more_than_100_percent_is_refused(city, heating):
    refused(lambda: save_report(city, heating, percent_done=101))
    assert ActionReport.objects.count() == 0


@pytest.mark.parametrize("status", ["finished", "", "DELAYED"])
def test_an_unknown_status_is_refused(city, heating, status):
    refused(lambda: save_report(city, heating, status=status))
    assert ActionReport.objects.count() == 0


def test_a_negative_spend_is_refused(city, heating):
    refused(lambda: save_report(city, heating, spend_to_date=Decimal("-0.01")))


def value(city, indicator, **fields):
    data = {"measured_on": datetime.date(2026, 1, 31), "value": Decimal(1200),
            "source": "Register", "quality": "measured"}  # fmt: skip
    return IndicatorValue.objects.create(city=city, indicator=indicator,
                                         indicator_key=indicator.key, **(data | fields))  # fmt: skip


def test_a_second_value_on_the_same_date_is_refused(city, homes):
    value(city, homes)
    refused(lambda: value(city, homes, value=Decimal(1300)))
    assert list(IndicatorValue.objects.values_list("value", flat=True)) == [Decimal(1200)]


def test_values_on_the_same_date_in_two_cities_are_fine(city, other_city, homes):
    value(city, homes)
    value(other_city, homes)
    assert IndicatorValue.objects.count() == 2


def test_an_unknown_data_quality_is_refused(city, homes):
    refused(lambda: value(city, homes, quality="guessed"))


def test_one_setup_per_indicator_and_known_metrics_only(city, homes):
    IndicatorSetup.objects.create(city=city, indicator_key=homes.key)
    refused(lambda: IndicatorSetup.objects.create(city=city, indicator_key=homes.key))
    refused(
        lambda: IndicatorSetup.objects.create(
            city=city, indicator_key=uuid.uuid4(), computed_from="gdp"
        )
    )


@pytest.mark.parametrize("months", [0, 1, 4, 24])
def test_a_plan_reports_every_3_6_or_12_months(city, months):
    refused(lambda: MonitoringPlan.objects.create(city=city, reporting_months=months))


def test_one_plan_per_city(city):
    MonitoringPlan.objects.create(city=city)
    refused(lambda: MonitoringPlan.objects.create(city=city, reporting_months=3))
