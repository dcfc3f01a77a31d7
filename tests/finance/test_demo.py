import pytest

from cityzero.finance.demo import DEMO_TITLE, load_demo_funding
from cityzero.finance.models import FundingType, SavedResult
from tests.factories import UserFactory
from tests.knowledge.factories import make_entry

pytestmark = pytest.mark.django_db


def test_the_demo_city_gets_one_public_saved_result_once(city):
    make_entry("Energy performance contracting for public buildings: lessons from 40 contracts",
               ("buildings",))  # fmt: skip
    editor = UserFactory()
    saved = load_demo_funding(city, by=editor)
    assert saved is not None and saved.public and saved.title == DEMO_TITLE
    assert saved.saved_by == editor
    assert saved.snapshot["ranked"][0]["funding"]["code"] == "epc"
    assert FundingType.objects.get(code="epc").knowledge_entries.count() == 1
    assert load_demo_funding(city, by=editor) is None
    assert SavedResult.objects.count() == 1
