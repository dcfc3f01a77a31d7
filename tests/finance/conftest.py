"""The shipped funding types and rules, and answers that describe typical projects."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from cityzero.finance.reference import load_funding

# A €2M retrofit of buildings by a municipal company that earns revenue and cuts energy bills.
RETROFIT = {
    "fields": ["buildings"], "stage": ["feasibility"], "size": ["2000000"],
    "owner": ["municipal_company"], "risk": ["proven"], "timeline": ["1_to_3_years"],
    "revenue": ["yes"], "savings": ["yes"], "payback": ["medium"], "borrowing": ["limited"],
    "assistance": ["some"],
}  # fmt: skip
# A €50,000 social project of the city that earns nothing.
SOCIAL = {
    "fields": ["buildings"], "stage": ["idea"], "size": ["50000"], "owner": ["city"],
    "risk": ["proven"], "timeline": ["within_1_year"], "revenue": ["no"], "savings": ["no"],
    "payback": ["none"], "borrowing": ["limited"], "assistance": ["some"],
    "cobenefits": ["social"],
}  # fmt: skip
# Green infrastructure only: no revenue, savings or payback questions.
PARK = {
    "fields": ["green"], "stage": ["feasibility"], "size": ["800000"], "owner": ["city"],
    "risk": ["adapted"], "timeline": ["1_to_3_years"], "borrowing": ["ample"],
    "assistance": ["none"], "cobenefits": ["nature", "adaptation"],
}  # fmt: skip


def query(answers: dict[str, list[str]]) -> str:
    params = QueryDict(mutable=True)
    for code, values in answers.items():
        params.setlist(code, values)
    return params.urlencode()


def result_url(answers: dict[str, list[str]]) -> str:
    return f"{reverse('finance:result')}?{query(answers)}"


@pytest.fixture
def funding(db):
    """The shipped catalogue: 28 funding types with their rules."""
    load_funding()
