"""The write endpoints of calls, applications and programmes, for the authorization matrix
(``tests/accounts/test_authorization_matrix.py``): each sends one write as the matrix's person
and returns a callable telling whether it took effect."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cityzero.accounts.models import PlatformRole
from cityzero.cities.models import City
from cityzero.programmes import services
from cityzero.programmes.models import (
    ActivityReport,
    Application,
    ApplicationStatus,
    Assessment,
    PilotActivity,
    ProgrammeKind,
    TwinningGroup,
)
from tests.factories import CityFactory
from tests.programmes.factories import (
    GOOD_ANSWERS,
    assessor,
    close,
    cohort,
    draft,
    make_call,
    pilot_activity,
    scored,
    staff,
    submitted,
    under_assessment,
)

S = ApplicationStatus


def _status(application: Application) -> str:
    return Application.objects.get(pk=application.pk).status


class ProgrammeWrites:
    def _start_application(self, client, city):
        call = make_call()
        response = client.post(reverse("programmes:apply", args=[call.slug]), {"city": city.pk})
        return response, lambda: Application.objects.filter(city=city).exists()

    def _save_application(self, client, city):
        application = services.start_application(make_call(), city, by=None)
        data = {"version": "1", "q_population": "80000", "q_motivation": "Ours."}
        response = client.post(reverse("programmes:edit", args=[application.pk]), data)
        return response, lambda: application.answers.exists()

    def _submit_application(self, client, city):
        application = draft(make_call(), city)
        response = client.post(reverse("programmes:submit", args=[application.pk]))
        return response, lambda: _status(application) != S.DRAFT

    def _withdraw_application(self, client, city):
        application = submitted(make_call(), city)
        response = client.post(reverse("programmes:withdraw", args=[application.pk]))
        return response, lambda: _status(application) == S.WITHDRAWN

    def _decide_eligibility(self, client, city):
        application = submitted(make_call(), city, answers={**GOOD_ANSWERS, "gcom": "pending"})
        data = {"decision": "eligible", "reason": "Signs next month."}
        response = client.post(reverse("programmes:decide_eligibility", args=[application.pk]),
                               data)  # fmt: skip
        return response, lambda: _status(application) == S.ELIGIBLE

    def _assign_assessor(self, client, city):
        application, person = submitted(make_call(), city), assessor()
        response = client.post(reverse("programmes:assign_assessor", args=[application.pk]),
                               {"assessor": person.pk})  # fmt: skip
        return response, lambda: application.assessments.filter(assessor=person).exists()

    def _remove_assessor(self, client, city):
        application = under_assessment(make_call(), city)
        assessment = application.assessments.get()
        response = client.post(reverse("programmes:remove_assessor", args=[assessment.pk]))
        return response, lambda: not Assessment.objects.filter(pk=assessment.pk).exists()

    def _score_application(self, client, city):
        """Every reviewer of the platform is assigned: the matrix's reviewer among them."""
        reviewers = list(get_user_model().objects.filter(platform_role=PlatformRole.REVIEWER))
        application = under_assessment(make_call(), city, assessors=reviewers or [assessor()])
        signed_in = client.session.get("_auth_user_id")  # the matrix's person, if any
        mine = application.assessments.filter(assessor__pk=signed_in)
        assessment = mine.first() or application.assessments.first()
        criterion = application.call.criteria.first()
        data = {f"score_{criterion.pk}": "4", f"justification_{criterion.pk}": "Clear plan.",
                "save": ""}  # fmt: skip
        response = client.post(reverse("programmes:scorecard", args=[assessment.pk]), data)
        return response, lambda: assessment.scores.exists()

    def _select_applications(self, client, city):
        call = make_call()
        application = scored(call, city, [[5, 5, 5]])
        close(call)
        response = client.post(reverse("programmes:select", args=[call.slug]),
                               {"chosen": [application.pk]})  # fmt: skip
        return response, lambda: _status(application) == S.SELECTED

    def _create_pilot_activity(self, client, city):
        pilots = cohort(ProgrammeKind.PILOT, capacity=26, slug="pilots")
        today = timezone.localdate()
        data = {"cohort": pilots.pk, "title": "Solar schools", "lead_city": city.pk,
                "fields_of_action": ["energy"], "grant_eur": "500000", "split": "40/40/20",
                "starts_on": today.isoformat(),
                "ends_on": (today + timedelta(days=700)).isoformat()}  # fmt: skip
        response = client.post(reverse("programmes:activity_new"), data)
        return response, lambda: PilotActivity.objects.filter(title="Solar schools").exists()

    def _submit_activity_report(self, client, city):
        activity = pilot_activity(city)
        data = {"kind": "interim", "body": "Half way."}
        response = client.post(reverse("programmes:report_new", args=[activity.slug]), data)
        return response, lambda: activity.reports.exists()

    def _review_activity_report(self, client, city):
        activity = pilot_activity(city)
        report = services.submit_report(activity, kind="interim", body="Half way.", by=None)
        url = reverse("programmes:report_review", args=[activity.slug, report.pk])
        response = client.post(url, {"decision": "approve", "note": ""})
        return response, lambda: ActivityReport.objects.get(pk=report.pk).status == "approved"

    def _release_tranche(self, client, city):
        activity = pilot_activity(city)
        tranche = activity.tranches.get(trigger="start")
        url = reverse("programmes:tranche_release", args=[activity.slug, tranche.pk])
        response = client.post(url)
        return response, lambda: activity.tranches.get(pk=tranche.pk).is_released

    def _create_twinning_group(self, client, city):
        activity = pilot_activity(city)
        twin = City.objects.get(slug="valencia")
        start = timezone.localdate()
        data = {"twins": [twin.pk], "starts_on": start.isoformat(),
                "ends_on": (start + timedelta(days=400)).isoformat()}  # fmt: skip
        response = client.post(reverse("programmes:twins", args=[activity.slug]), data)
        return response, lambda: TwinningGroup.objects.filter(activity=activity).exists()

    def _submit_deliverable(self, client, city):
        activity = pilot_activity(city)
        start = timezone.localdate()
        group = services.create_twinning_group(
            activity, twins=[CityFactory(name="Gent")], starts_on=start,
            ends_on=start + timedelta(days=400), by=staff(),
        )  # fmt: skip
        url = reverse("programmes:deliverable", args=[group.pk, "learning_agreement"])
        response = client.post(url, {"body": "We agree."})
        return response, lambda: group.deliverables.exists()
