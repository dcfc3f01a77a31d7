"""The write endpoints of implementation monitoring, for the authorization matrix
(``tests/accounts/test_authorization_matrix.py``): each sends one write as the matrix's person
and returns a callable telling whether it took effect."""

from django.urls import reverse
from django.utils import timezone

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.contracts import services as contracts
from cityzero.contracts.models import Action, Indicator
from cityzero.monitoring.models import ActionReport, IndicatorSetup, IndicatorValue, MonitoringPlan
from tests.contracts.conftest import complete, make_baseline
from tests.factories import LabelRoundFactory, MembershipFactory, UserFactory
from tests.monitoring.conftest import endorse


def _endorsed(city):
    iteration = contracts.start_contract(city, baseline=make_baseline(city), by=None)
    complete(iteration)
    return endorse(
        iteration,
        by_editor=MembershipFactory(city=city, role=CityRole.EDITOR).user,
        by_staff=UserFactory(platform_role=PlatformRole.STAFF),
        by_officer=UserFactory(platform_role=PlatformRole.COMMISSION_OFFICER),
        label_round=LabelRoundFactory(),
    )


def _published_indicator(city):
    """An indicator the city has published, so that everyone may know of it."""
    indicator = Indicator.objects.get(iteration=_endorsed(city))
    IndicatorSetup.objects.create(city=city, indicator_key=indicator.key, public=True)
    return indicator


class MonitoringWrites:
    def _report_action_progress(self, client, city):
        action = Action.objects.get(iteration=_endorsed(city), name="Low-emission zone")
        ActionReport.objects.create(  # published, so that everyone may know of the action
            city=city, action_key=action.key, action=action, public=True, status="planned",
            reported_on=timezone.localdate(), percent_done=0,
        )  # fmt: skip
        data = {"reported_on": timezone.localdate().isoformat(), "status": "in_progress",
                "percent_done": "40", "spend_to_date": "1000000", "note": "Signs are up.",
                "public": "on"}  # fmt: skip
        response = client.post(reverse("monitoring:action", args=[city.slug, action.key]), data)
        return response, lambda: ActionReport.objects.filter(city=city).count() == 2

    def _record_indicator_value(self, client, city):
        indicator = _published_indicator(city)
        data = {"measured_on": timezone.localdate().isoformat(), "value": "1200",
                "unit": indicator.unit, "source": "Utility", "quality": "measured"}  # fmt: skip
        url = reverse("monitoring:indicator", args=[city.slug, indicator.key])
        response = client.post(url, data)
        return response, lambda: IndicatorValue.objects.filter(city=city).exists()

    def _set_up_indicator(self, client, city):
        indicator = _published_indicator(city)
        url = reverse("monitoring:indicator", args=[city.slug, indicator.key])
        response = client.post(url, {"what": "setup", "computed_from": ""})  # unpublish it
        return response, lambda: IndicatorSetup.objects.filter(city=city, public=False).exists()

    def _change_monitoring_plan(self, client, city):
        _endorsed(city)
        data = {"reporting_months": "3", "publish_emissions": "on", "version": "0"}
        response = client.post(reverse("monitoring:plan", args=[city.slug]), data)
        return response, lambda: MonitoringPlan.objects.filter(
            city=city, reporting_months=3
        ).exists()
