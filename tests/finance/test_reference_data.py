"""The shipped funding types and rules: complete, valid, loaded once, staff edits kept, and
ranking the typical projects as a finance adviser would."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityzero.finance import reference
from cityzero.finance.models import FundingCategory, FundingType, MatchingRule
from cityzero.finance.questionnaire import check
from cityzero.finance.selectors import guidance_for
from tests.finance.conftest import PARK, RETROFIT, SOCIAL
from tests.knowledge.factories import make_entry

pytestmark = pytest.mark.django_db

GRANTS = (FundingCategory.EU_GRANT, FundingCategory.NATIONAL_GRANT)


def ranked_codes(answers) -> list[str]:
    checked = check(answers)
    assert checked.errors == {}
    return [row.funding.code for row in guidance_for(checked.answers).ranked]


def test_the_catalogue_has_every_kind_of_funding_the_domain_names(funding):
    codes = set(FundingType.objects.values_list("code", flat=True))
    assert len(codes) >= 20
    assert {"municipal-budget", "revolving-fund", "erdf", "cohesion-fund", "esf-plus",
            "horizon-europe", "life", "interreg", "urbact", "eui", "elena", "jaspers",
            "advisory-hub", "eib-loan", "national-bank-loan", "green-bond",
            "soft-loans-guarantees", "epc", "on-bill", "ppp", "crowdfunding",
            "citizen-cooperative", "national-programmes", "parking-road-charges",
            "land-value-capture", "carbon-offset-fund"} <= codes  # fmt: skip


def test_every_funding_type_is_complete_and_every_rule_valid(funding):
    for item in FundingType.objects.all():
        item.full_clean()
        assert item.pros and item.cons and item.project_types and item.eligibility, item.code
        assert item.rules.filter(effect="include").exists(), f"{item.code} is never included"
    for rule in MatchingRule.objects.all():
        rule.full_clean()


def test_a_revenue_earning_retrofit_by_a_municipal_company_puts_epc_and_eib_above_grants(funding):
    ranking = ranked_codes(RETROFIT)
    grants = set(FundingType.objects.filter(category__in=GRANTS).values_list("code", flat=True))
    first_grant = min(ranking.index(code) for code in grants if code in ranking)
    assert ranking.index("epc") < first_grant
    assert ranking.index("eib-loan") < first_grant
    assert ranking[0] == "epc"


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    size=st.integers(min_value=1_000, max_value=999_999),
    stage=st.sampled_from(["idea", "feasibility", "investment_ready"]),
    owner=st.sampled_from(["city", "municipal_company", "private", "citizens"]),
    borrowing=st.sampled_from(["ample", "limited", "none", "not_sure"]),
    fields=st.lists(st.sampled_from(["energy", "buildings", "mobility", "waste", "green"]),
                    min_size=1, unique=True),
)  # fmt: skip
def test_a_small_social_project_without_revenue_never_gets_a_bond(
    funding, size, stage, owner, borrowing, fields
):
    answers = {**SOCIAL, "size": [str(size)], "stage": [stage], "owner": [owner],
               "borrowing": [borrowing], "fields": fields}  # fmt: skip
    if not {"energy", "buildings"} & set(fields):
        answers.pop("savings")
    assert "green-bond" not in ranked_codes(answers)


def test_the_social_project_is_led_by_the_budget_and_social_funds(funding):
    ranking = ranked_codes(SOCIAL)
    assert ranking[0] == "municipal-budget"
    assert {"esf-plus", "social-climate-fund"} <= set(ranking)
    assert "ppp" not in ranking


def test_a_park_gets_nature_funding_and_no_revenue_based_finance(funding):
    ranking = ranked_codes(PARK)
    assert ranking.index("life") < 3
    assert not {"epc", "on-bill", "revolving-fund", "citizen-cooperative"} & set(ranking)


def test_loading_again_creates_nothing_and_keeps_staff_edits(funding):
    epc = FundingType.objects.get(code="epc")
    epc.name = "Energy performance contracts (edited)"
    epc.save()
    epc.rules.filter(effect="exclude").delete()
    MatchingRule.objects.filter(funding_type=None, values="above").delete()
    rules = MatchingRule.objects.count()

    assert reference.load_funding() == (0, 28)
    assert FundingType.objects.get(code="epc").name == "Energy performance contracts (edited)"
    assert MatchingRule.objects.count() == rules


def test_a_deleted_funding_type_comes_back_with_its_rules(funding):
    FundingType.objects.filter(code="urbact").delete()
    assert reference.load_funding() == (1, 27)
    assert FundingType.objects.get(code="urbact").rules.count() == 4


def test_knowledge_entries_are_linked_by_title_or_slug_and_missing_ones_skipped(funding):
    bond_guide = make_entry("Issuing a municipal green bond: a how-to for first-time issuers",
                            ("finance",))  # fmt: skip
    made = reference.link_knowledge_entries()
    assert made == 1
    assert list(FundingType.objects.get(code="green-bond").knowledge_entries.all()) == [bond_guide]
    assert reference.link_knowledge_entries() == 0  # linked types are left as they are
