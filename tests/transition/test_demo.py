"""The demo city's progress on the Climate Transition Map."""

import io

import pytest
from django.core.management import call_command

from cityzero.transition.demo import DEMO_PROGRESS
from cityzero.transition.models import StepProgress, StepProgressRevision, StepStatus
from cityzero.transition.phases import STEP_BY_CODE

pytestmark = pytest.mark.django_db


def test_demo_progress_names_real_steps():
    assert {step for step, *_rest in DEMO_PROGRESS} <= set(STEP_BY_CODE)


def test_the_demo_city_shows_its_progress_on_its_map_once_however_often_loaded(client):
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    progress = StepProgress.objects.filter(city__slug="aachen")
    assert progress.count() == len(DEMO_PROGRESS) == StepProgressRevision.objects.count()
    assert progress.filter(status=StepStatus.DONE).count() == 5
    for page in ("/cities/aachen/transition/", "/cities/aachen/"):
        assert "5 of 31 steps done, 5 in progress." in client.get(page).content.decode()
