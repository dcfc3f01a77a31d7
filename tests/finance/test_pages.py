"""The questionnaire's pages, the result, funding type pages: answers, bad input, caching, rules
edited in the admin, and the number of queries."""

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityzero.accounts.models import PlatformRole
from cityzero.finance.models import FundingType, MatchingRule
from tests.factories import UserFactory
from tests.finance.conftest import PARK, RETROFIT, query, result_url
from tests.knowledge.factories import make_entry

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def ranked_names(response) -> list[str]:
    rows = re.findall(r'<tr id="funding-[^"]+">.*?<th scope="row"><a [^>]+>([^<]+)</a>',
                      response.content.decode(), re.S)  # fmt: skip
    return rows


# --- the steps ------------------------------------------------------------------------------------


def test_step_1_offers_the_five_fields_of_action(client):
    page = text(client.get(reverse("finance:start")))
    assert page.count('name="fields"') == 5
    assert 'action="/finance/questions/"' in page and 'method="get"' in page


def test_coming_back_to_step_1_keeps_the_fields_ticked(client):
    page = client.get(reverse("finance:start"), {"fields": "green"}).content.decode()
    assert 'value="green" checked' in page and 'value="energy" checked' not in page


def test_step_2_asks_only_the_questions_of_the_fields_chosen(client):
    green = text(client.get(reverse("finance:questions"), {"fields": "green"}))
    assert 'name="stage"' in green and 'name="borrowing"' in green
    assert 'name="revenue"' not in green and 'name="savings"' not in green
    assert 'name="payback"' not in green
    assert '<input type="hidden" name="fields" value="green">' in green
    buildings = text(client.get(reverse("finance:questions"), {"fields": "buildings"}))
    assert 'name="revenue"' in buildings and 'name="savings"' in buildings


@pytest.mark.parametrize(
    "params",
    [{}, {"fields": ""}, {"fields": "space"}, {"fields": ["green", "<script>"]}],
    ids=["nothing", "empty", "unknown", "script"],
)
def test_step_2_without_a_valid_step_1_goes_back_to_it_with_the_error(client, params):
    response = client.get(reverse("finance:questions"), params)
    assert response.status_code == 422
    page = text(response)
    assert "answers need fixing" in page or "One answer needs fixing" in page
    assert "<script>" not in page.split("<main", 1)[1]


# --- the result -----------------------------------------------------------------------------------


def test_the_result_ranks_the_funding_types_with_why_each_fits(client, funding):
    response = client.get(result_url(RETROFIT))
    assert response.status_code == 200
    names = ranked_names(response)
    assert names[:2] == ["Energy performance contracting (ESCO)", "European Investment Bank loans"]
    page = text(response)
    assert "An ESCO finances the measures and is paid from the guaranteed energy savings." in page
    for heading in ("Pros", "Cons", "Type of project financed", "Related products",
                    "Why it matched"):  # fmt: skip
        assert f'<th scope="col">{heading}</th>' in page
    assert "Ruled out for this project" in page and "Green municipal bonds" in page


def test_the_result_links_to_itself_its_exports_and_the_changed_answers(client, funding):
    page = client.get(result_url(RETROFIT)).content.decode()
    canonical = query(RETROFIT).replace("&", "&amp;")
    assert f'href="/finance/result/?{canonical}" id="share-link"' in page
    assert f'href="/finance/result/export.csv?{canonical}"' in page
    assert f'href="/finance/questions/?{canonical}"' in page


def test_anonymous_visitors_are_asked_to_sign_in_to_save(client, funding):
    page = text(client.get(result_url(PARK)))
    assert "Sign in to save this result to your city" in page
    assert 'action="/finance/save/"' not in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"size": ["-5"]}, "size", "The size must be at least €1,000."),
        ({"size": ["99999999999999"]}, "size", "The size must be at most €10,000,000,000"),
        ({"size": ["lots"]}, "size", "Give the size in whole euros"),
        ({"size": ["1", "2"]}, "size", "Give one size only."),
        ({"stage": ["soon"]}, "stage", "“soon” is not an answer to this question."),
        ({"stage": ["idea", "feasibility"]}, "stage", "Choose one answer only."),
        ({"owner": []}, "owner", "Choose an answer."),
        ({"cobenefits": ["nature", "moon"]}, "cobenefits", "“moon” is not an answer"),
    ],
)
def test_bad_answers_bring_back_step_2_with_the_error_and_the_other_answers(
    client, funding, change, field, message
):
    response = client.get(result_url({**RETROFIT, **change}))
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert f'href="#q-{field}"' in page  # the error summary links to the question
    assert 'value="limited" checked' in page  # what was right is kept


@pytest.mark.parametrize(
    "params",
    [{"size": "2000000"}, {"fields": "lava", "size": "1"}, {"fields": ["green"] * 50}],
    ids=["no-step-1", "unknown-field", "repeated"],
)
def test_a_result_url_without_a_valid_step_1_shows_step_1(client, funding, params):
    response = client.get(reverse("finance:result"), params)
    if params.get("fields") == ["green"] * 50:  # the same field many times is still one field
        assert response.status_code == 422 and 'name="size"' in response.content.decode()
        return
    assert response.status_code == 422
    assert "Step 1 of 2" in response.content.decode()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.dictionaries(
        st.sampled_from(["fields", "stage", "size", "owner", "revenue", "cobenefits", "x"]),
        st.lists(st.text(max_size=30), max_size=3),
        max_size=4,
    )
)
def test_no_query_string_breaks_the_result_page(client, funding, changes):
    response = client.get(result_url({**RETROFIT, **changes}))
    assert response.status_code in (200, 422)


def test_tampered_parameters_that_are_not_questions_change_nothing(client, funding):
    plain = client.get(result_url(RETROFIT))
    tampered = client.get(result_url({**RETROFIT, "utm_source": ["x"], "revenue2": ["no"],
                                      "csrfmiddlewaretoken": ["y"]}))  # fmt: skip
    assert ranked_names(tampered) == ranked_names(plain)


def test_answers_to_questions_not_asked_for_the_fields_change_nothing(client, funding):
    plain = client.get(result_url(PARK))
    extra = client.get(result_url({**PARK, "revenue": ["yes"], "savings": ["yes"]}))
    assert ranked_names(extra) == ranked_names(plain)


def test_a_rule_edited_in_the_database_applies_to_the_next_request(client, funding):
    assert ranked_names(client.get(result_url(RETROFIT)))[0] != "European Investment Bank loans"
    rule = MatchingRule.objects.get(funding_type__code="eib-loan", question="revenue",
                                    values="yes")  # fmt: skip
    rule.weight = 10
    rule.save()
    assert ranked_names(client.get(result_url(RETROFIT)))[0] == "European Investment Bank loans"


def test_a_rule_added_by_staff_in_the_admin_applies_to_the_next_request(
    client, funding, settings_without_mfa
):
    client.get(result_url(RETROFIT))  # the catalogue and the page are now cached
    client.force_login(UserFactory(platform_role=PlatformRole.STAFF, is_superuser=True))
    epc = FundingType.objects.get(code="epc")
    data = {"funding_type": epc.pk, "question": "owner", "values": "municipal_company",
            "effect": "exclude", "weight": "0", "reason": "Not for companies.", "position": "0",
            "active": "on"}  # fmt: skip
    response = client.post(reverse("admin:finance_matchingrule_add"), data)
    assert response.status_code == 302, response.content[:2000]
    client.logout()
    page = client.get(result_url(RETROFIT))
    assert "Energy performance contracting (ESCO)" not in ranked_names(page)
    assert "Not for companies." in text(page)


def test_the_admin_refuses_a_rule_with_answers_its_question_does_not_have(
    client, funding, settings_without_mfa
):
    client.force_login(UserFactory(platform_role=PlatformRole.STAFF, is_superuser=True))
    data = {"funding_type": "", "question": "stage", "values": "idea,someday", "effect": "rank",
            "weight": "2", "reason": "x", "position": "0", "active": "on"}  # fmt: skip
    response = client.post(reverse("admin:finance_matchingrule_add"), data)
    assert response.status_code == 200
    assert "Use answers of “Project stage”: feasibility, idea, investment_ready." in text(response)
    assert not MatchingRule.objects.filter(reason="x").exists()


def test_an_inactive_funding_type_is_neither_matched_nor_shown(client, funding):
    FundingType.objects.filter(code="epc").update(active=False)
    assert "Energy performance contracting (ESCO)" not in ranked_names(
        client.get(result_url(RETROFIT))
    )
    assert client.get(reverse("finance:funding", args=["epc"])).status_code == 404


@pytest.mark.parametrize("url_name", ["start", "result", "funding_list"])
def test_public_pages_are_served_from_the_cache_to_anonymous_visitors(
    client, funding, django_assert_num_queries, url_name
):
    url = result_url(RETROFIT) if url_name == "result" else reverse(f"finance:{url_name}")
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_the_result_page_reads_the_funding_types_and_rules_once(
    client, funding, django_assert_num_queries
):
    with django_assert_num_queries(2):  # funding types, rules
        assert client.get(result_url(RETROFIT)).status_code == 200


@pytest.mark.parametrize("extra", [0, 5])
def test_a_signed_in_result_page_reads_a_fixed_number_of_queries(
    client, funding, make_person, django_assert_num_queries, extra
):
    for n in range(extra):
        FundingType.objects.create(code=f"extra-{n}", name=f"Extra {n}", category="loan",
                                   summary="s", pros="p", cons="c", project_types="t",
                                   eligibility="e").rules.create(
            question="fields", values="buildings", effect="include", weight=1, reason="r")  # fmt: skip
    client.force_login(make_person("editor"))
    client.get(result_url(RETROFIT))
    # session, user, memberships, advised cities, cities to save to, unread notifications
    with django_assert_num_queries(6):
        assert client.get(result_url(RETROFIT)).status_code == 200


# --- funding types --------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 5])
def test_the_funding_type_list_reads_one_query(client, funding, django_assert_num_queries, extra):
    for n in range(extra):
        FundingType.objects.create(code=f"extra-{n}", name=f"Extra {n}", category="loan",
                                   summary="s", pros="p", cons="c", project_types="t",
                                   eligibility="e")  # fmt: skip
    with django_assert_num_queries(1):
        page = text(client.get(reverse("finance:funding_list")))
    assert page.count('href="/finance/funding/') == 28 + extra
    assert "<h2>EU grant</h2>" in page


def test_a_funding_type_page_shows_its_published_knowledge_entries_only(
    client, funding, django_assert_num_queries
):
    bond = FundingType.objects.get(code="green-bond")
    published = make_entry("Issuing a green bond", ("finance",))
    pending = make_entry("Draft bond guide", ("finance",), status="pending")
    bond.knowledge_entries.add(published, pending)
    with django_assert_num_queries(2):  # the type, its published entries
        page = text(client.get(reverse("finance:funding", args=["green-bond"])))
    assert "Issuing a green bond" in page and "Draft bond guide" not in page
    assert "€10 million to €500 million" in page
    assert "Bond investors" not in page  # rules are not shown on the page, only in results


def test_an_unknown_funding_type_is_not_found(client, funding):
    assert client.get(reverse("finance:funding", args=["gold-bars"])).status_code == 404


@pytest.mark.parametrize(
    "url",
    ["admin:finance_fundingtype_changelist", "admin:finance_matchingrule_changelist",
     "admin:finance_savedresult_changelist", "admin:finance_fundingtype_change"],
)  # fmt: skip
def test_staff_keep_the_funding_types_and_rules_in_the_admin(
    client, funding, settings_without_mfa, url
):
    client.force_login(UserFactory(platform_role=PlatformRole.STAFF, is_superuser=True))
    args = [FundingType.objects.get(code="epc").pk] if url.endswith("_change") else []
    response = client.get(reverse(url, args=args))
    assert response.status_code == 200
    if args:
        assert "An ESCO finances the measures" in response.content.decode()
