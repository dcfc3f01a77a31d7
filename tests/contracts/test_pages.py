"""Contract pages: who reads and edits what, forms with bad input, conflicts and query counts."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityzero.cities.models import Visibility
from cityzero.contracts import services
from cityzero.contracts.models import Action, Iteration, ModuleComment, ModuleContent
from tests.contracts.conftest import add, complete
from tests.contracts.test_interchange import row, xlsx
from tests.contracts.test_services import submit

pytestmark = pytest.mark.django_db

HOME = reverse("contracts:home", args=["aachen"])
OVERVIEW = reverse("contracts:overview", args=["aachen", 1])


def module_url(code: str) -> str:
    return reverse("contracts:module", args=["aachen", 1, code])


def signed_in(client, make_person, role: str):
    person = make_person(role)
    if person:
        client.force_login(person)
    return client


def goal_data(version: int, **fields) -> dict:
    data = {"action": "save", "module_version": str(version), "fields-introduction": "",
            "fields-council_decision": "CD 2023/117", "fields-council_decision_date": "2023-05-04",
            "fields-exclusions": ""}  # fmt: skip
    return data | fields


def test_an_editor_starts_the_contract_from_a_baseline(client, make_person, city, baseline):
    signed_in(client, make_person, "editor")
    response = client.post(HOME, {"action": "start", "baseline": baseline.pk})
    assert response.status_code == 302 and response["Location"] == OVERVIEW
    assert Iteration.objects.get().baseline == baseline


@pytest.mark.parametrize("role", ["viewer", "member", "editor_of_other_city", "advisor_of_city"])
def test_others_cannot_start_a_contract(client, make_person, city, baseline, role):
    response = signed_in(client, make_person, role).post(HOME, {"action": "start"})
    assert response.status_code == 403 and not Iteration.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in_to_start(client, city):
    response = client.post(HOME, {"action": "start"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_overview_shows_the_checklist_turning_green(client, make_person, iteration):
    signed_in(client, make_person, "editor")
    page = client.get(OVERVIEW).content.decode()
    assert "Blocks submission:" in page and "Add a council decision reference" in page
    complete(iteration)
    page = client.get(OVERVIEW).content.decode()
    assert "Every item that blocks submission passes." in page
    # (1) 312,000; (2) 249,600 = 80%; (6) 62,400 = 20%
    assert "312,000" in page and "249,600" in page and "62,400" in page
    assert 'aria-labelledby="pathway-chart-title"' in page
    assert 'aria-labelledby="waterfall-chart-title"' in page


@pytest.mark.parametrize(
    "visibility, role, status",
    [
        (Visibility.TEAM, "anonymous", 404),
        (Visibility.TEAM, "editor_of_other_city", 404),
        (Visibility.TEAM, "advisor_of_city", 200),
        (Visibility.MEMBERS, "anonymous", 404),
        (Visibility.MEMBERS, "member", 200),
        (Visibility.PUBLIC, "anonymous", 200),
    ],
)
def test_an_iteration_is_read_as_far_as_the_city_shares_it(
    client, make_person, iteration, visibility, role, status
):
    Iteration.objects.filter(pk=iteration.pk).update(visibility=visibility)
    client = signed_in(client, make_person, role)
    assert client.get(OVERVIEW).status_code == status
    assert client.get(module_url("goal")).status_code == status


def test_every_module_page_renders(client, make_person, iteration):
    complete(iteration)
    signed_in(client, make_person, "editor")
    for code in ("goal", "priorities", "signatories", "support", "baseline", "policies",
                 "barriers", "pathways", "actions", "residual", "indicators", "governance",
                 "social", "outlook", "ip_a1", "ip_a2", "ip_a3", "ip_b1", "ip_b2", "ip_b3",
                 "ip_c1", "ip_c2", "ip_c3"):  # fmt: skip
        assert client.get(module_url(code)).status_code == 200, code
    assert client.get(module_url("nonsense")).status_code == 404


def test_an_editor_saves_a_module_with_a_table(client, make_person, iteration):
    signed_in(client, make_person, "editor")
    data = {"action": "save", "module_version": "0", "fields-principles": "Co-creation.",
            "priorities-TOTAL_FORMS": "2", "priorities-INITIAL_FORMS": "0",
            "priorities-0-priority": "Heat", "priorities-0-description": "No gas by 2030",
            "priorities-1-priority": "", "priorities-1-description": ""}  # fmt: skip
    assert client.post(module_url("priorities"), data).status_code == 302
    stored = ModuleContent.objects.get(module="priorities").data
    assert stored == {
        "fields": {"principles": "Co-creation."},
        "tables": {"priorities": [{"priority": "Heat", "description": "No gas by 2030"}]},
    }
    assert "No gas by 2030" in client.get(module_url("priorities")).content.decode()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"fields-council_decision_date": "04/05/2023x"}, "Enter a valid date"),
        ({"fields-council_decision": "x" * 301}, "at most 300 characters"),
        ({"fields-introduction": "x" * 10_001}, "at most 10000 characters"),
        ({"module_version": "abc"}, ""),
    ],
)
def test_bad_module_input_is_refused_and_nothing_is_saved(
    client, make_person, iteration, fields, message
):
    signed_in(client, make_person, "editor")
    response = client.post(module_url("goal"), goal_data(0, **fields))
    assert response.status_code == 422 and message in response.content.decode()
    assert not ModuleContent.objects.filter(module="goal").exists()


def test_a_table_row_without_its_required_cell_is_refused(client, make_person, iteration):
    signed_in(client, make_person, "editor")
    data = {"action": "save", "module_version": "0", "statements-TOTAL_FORMS": "1",
            "statements-INITIAL_FORMS": "0", "statements-0-institution": "Land NRW",
            "statements-0-level": "galactic", "statements-0-statement": ""}  # fmt: skip
    response = client.post(module_url("support"), data)
    page = response.content.decode()
    assert response.status_code == 422 and "Select a valid choice" in page
    assert "This field is required" in page
    assert not ModuleContent.objects.filter(module="support").exists()


def test_a_second_editor_is_told_of_the_first_ones_save(client, make_person, iteration):
    signed_in(client, make_person, "editor")
    assert client.post(module_url("goal"), goal_data(0)).status_code == 302
    response = client.post(module_url("goal"), goal_data(0, **{"fields-council_decision": "Mine"}))
    assert response.status_code == 409
    assert "Someone else saved this module" in response.content.decode()
    assert "Mine" in response.content.decode()  # the second editor's text is still in the form
    stored = ModuleContent.objects.get(module="goal").data["fields"]
    assert stored["council_decision"] == "CD 2023/117"


@pytest.mark.parametrize("role, status", [("viewer", 403), ("editor_of_other_city", 404)])
def test_others_cannot_change_a_module(client, make_person, iteration, role, status):
    signed_in(client, make_person, role)
    assert client.post(module_url("goal"), goal_data(0)).status_code == status
    assert not ModuleContent.objects.exists()


def test_nobody_changes_a_submitted_iteration_through_the_pages(client, make_person, iteration):
    submit(iteration)
    signed_in(client, make_person, "coordinator")
    assert client.post(module_url("goal"), goal_data(0)).status_code == 403


def test_an_editor_adds_edits_funds_and_deletes_an_action(client, make_person, iteration):
    signed_in(client, make_person, "editor")
    data = {"action": "add", "part-name": "Retrofits", "part-status": "planned",
            "part-reduction_buildings": "1200", "part-reduction_transport": "0",
            "part-reduction_waste": "0", "part-reduction_ippu": "0",
            "part-reduction_afolu": "0", "part-capex": "500000"}  # fmt: skip
    assert client.post(module_url("actions"), data).status_code == 302
    action = Action.objects.get()
    url = reverse("contracts:part", args=["aachen", 1, "actions", action.key])
    edit = data | {"action": "save", "part-version": str(action.version), "part-name": "Deep retrofits",
                   "funding-TOTAL_FORMS": "1", "funding-INITIAL_FORMS": "0",
                   "funding-0-source": "eu_grant", "funding-0-amount": "200000"}  # fmt: skip
    assert client.post(url, edit).status_code == 302
    action.refresh_from_db()
    assert action.name == "Deep retrofits"
    assert [f.amount for f in action.fundings.all()] == [Decimal(200_000)]
    page = client.get(module_url("ip_b2")).content.decode()
    assert "Deep retrofits" in page and "300,000" in page  # gap: 500,000 − 200,000
    assert client.post(url, {"action": "delete"}).status_code == 302
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"part-capex": "-5"}, "greater than or equal to 0"),
        ({"part-capex": "lots"}, "Enter a number"),
        ({"part-reduction_buildings": "1e20"}, "Ensure that there are no more than"),
        ({"part-start_year": "2030", "part-end_year": "2025"}, "cannot end before it starts"),
        ({"part-name": ""}, "This field is required"),
        ({"part-field_of_action": "space"}, "Select a valid choice"),
    ],
)
def test_bad_actions_are_refused_on_the_page(client, make_person, iteration, fields, message):
    signed_in(client, make_person, "editor")
    data = {"action": "add", "part-name": "Retrofits", "part-status": "planned",
            "part-reduction_buildings": "0", "part-reduction_transport": "0",
            "part-reduction_waste": "0", "part-reduction_ippu": "0",
            "part-reduction_afolu": "0"} | fields  # fmt: skip
    response = client.post(module_url("actions"), data)
    assert response.status_code == 422 and message in response.content.decode()
    assert not Action.objects.exists()


def test_an_action_of_another_iteration_is_not_found_here(
    client, make_person, iteration, other_city
):
    other = services.start_contract(other_city, baseline=None, by=None)
    foreign = add(other, Action(name="Theirs"))
    signed_in(client, make_person, "editor")
    url = reverse("contracts:part", args=["aachen", 1, "actions", foreign.key])
    assert client.post(url, {"action": "delete"}).status_code == 404
    assert Action.objects.filter(pk=foreign.pk).exists()


def test_the_citys_advisor_comments_and_a_member_cannot(client, make_person, iteration):
    Iteration.objects.filter(pk=iteration.pk).update(visibility=Visibility.MEMBERS)
    signed_in(client, make_person, "advisor_of_city")
    response = client.post(
        module_url("actions"), {"action": "comment", "body": "Add <b>costs</b> <script>x</script>"}
    )
    assert response.status_code == 302
    assert "<script" not in ModuleComment.objects.get().body_html
    signed_in(client, make_person, "member")
    assert (
        client.post(module_url("actions"), {"action": "comment", "body": "Hi"}).status_code == 403
    )
    assert ModuleComment.objects.count() == 1


def test_two_iterations_are_compared_module_by_module(client, make_person, iteration):
    complete(iteration)
    copy = services.start_next_iteration(submit(iteration).contract, by=None)
    action = copy.actions.get(name="District heating")
    action.reduction_buildings = Decimal(170_000)
    services.save_part(copy, action, base_version=action.version, by=None)
    add(copy, Action(name="Cycle highways"))
    signed_in(client, make_person, "editor")
    page = client.get(reverse("contracts:compare", args=["aachen"]), {"a": 1, "b": 2})
    text = page.content.decode()
    assert "added “Cycle highways”" in text
    assert "“District heating” changed: reduction, buildings (t CO2e/yr by 2030)" in text
    assert text.count("No change.") == 22  # every other module


@pytest.mark.parametrize("count", [1, 5])
def test_contract_pages_query_counts_do_not_grow(
    client, make_person, iteration, count, django_assert_num_queries
):
    complete(iteration)
    for n in range(count):
        add(iteration, Action(name=f"Action {n}", capex=Decimal(1)))
    signed_in(client, make_person, "editor")
    client.get(OVERVIEW)  # the baseline summary is cached after the first read
    # session, user, roles (2), iteration, then its parts: pathways, actions, fundings,
    # indicators, signatories, removals, module contents; the unread-notification count; the
    # knowledge entries recommended for the actions' fields and levers (none published here).
    with django_assert_num_queries(15):
        assert client.get(OVERVIEW).status_code == 200
    with django_assert_num_queries(15):  # the same and the module's comments
        assert client.get(module_url("actions")).status_code == 200


def test_the_api_serves_the_figures_of_an_iteration_you_may_read(client, iteration):
    complete(iteration)
    url = "/api/v1/cities/aachen/contract/1"
    assert client.get(url).status_code == 404  # a team draft
    Iteration.objects.filter(pk=iteration.pk).update(visibility=Visibility.PUBLIC)
    data = client.get(url).json()
    total = data["target_table"][-1]
    assert (total["sector"], total["baseline"], total["target"], total["residual"]) == (
        "total",
        312_000,
        249_600,
        62_400,
    )
    assert data["portfolio"]["reduction_tco2e"] == 249_600
    assert {a["name"] for a in data["actions"]} >= {"District heating", "Low-emission zone"}
    assert all(c["passed"] for c in data["checks"] if c["blocking"])
    assert client.get("/api/v1/cities/aachen/contract/7").status_code == 404


IMPORT = reverse("contracts:import_actions", args=["aachen", 1])


def upload(data: bytes, name: str = "actions.xlsx"):
    return {"file": SimpleUploadedFile(name, data)}


def test_an_editor_imports_actions_from_xlsx(client, make_person, iteration):
    signed_in(client, make_person, "editor")
    data = xlsx([row(name="Solar roofs", reduction_buildings=1200, capex=50_000)])
    response = client.post(IMPORT, upload(data))
    assert response.status_code == 302
    assert list(iteration.actions.values_list("name", "reduction_buildings")) == [
        ("Solar roofs", Decimal(1200))
    ]


def test_an_import_with_errors_lists_them_and_saves_nothing(client, make_person, iteration):
    complete(iteration)
    before = sorted(iteration.actions.values_list("name", flat=True))
    signed_in(client, make_person, "editor")
    data = xlsx([row(name="Solar roofs", capex="lots"), row(name="", field_of_action="space")])
    response = client.post(IMPORT, upload(data))
    page = response.content.decode()
    assert response.status_code == 422 and "Nothing was imported" in page
    assert "Row 2, column capex" in page and "Row 3, column field_of_action" in page
    assert sorted(iteration.actions.values_list("name", flat=True)) == before


def test_a_file_that_is_not_xlsx_is_refused_before_reading(client, make_person, iteration):
    signed_in(client, make_person, "editor")
    response = client.post(IMPORT, upload(b"name,capex\nSolar,1\n"))
    assert response.status_code == 422 and "not a .xlsx file" in response.content.decode()


@pytest.mark.parametrize("role, status", [("viewer", 403), ("anonymous", 302)])
def test_only_editors_import_actions(client, make_person, iteration, role, status):
    Iteration.objects.filter(pk=iteration.pk).update(visibility=Visibility.PUBLIC)
    signed_in(client, make_person, role)
    assert client.post(IMPORT, upload(xlsx([row()]))).status_code == status
    assert not iteration.actions.exists()


def test_exports_are_downloads_for_those_who_may_read_the_iteration(client, iteration):
    pdf = reverse("contracts:export_pdf", args=["aachen", 1])
    workbook = reverse("contracts:export_xlsx", args=["aachen", 1])
    assert client.get(pdf).status_code == 404 and client.get(workbook).status_code == 404
    Iteration.objects.filter(pk=iteration.pk).update(visibility=Visibility.PUBLIC)
    response = client.get(pdf)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="aachen-contract-1.pdf"'
    response = client.get(workbook)
    assert response.status_code == 200 and response.content.startswith(b"PK")


def test_capital_planning_sums_cost_by_field_and_body_and_funding_by_source(
    client, make_person, iteration
):
    complete(iteration)
    heating = iteration.actions.get(name="District heating")
    services.save_part(iteration, heating, base_version=heating.version, by=None,
                       fundings=[{"source": "eu_grant", "amount": Decimal(150_000_000)}])  # fmt: skip
    signed_in(client, make_person, "editor")
    page = client.get(module_url("ip_b2")).content.decode()
    assert "Cost by field of action" in page and "Capital covered by each source" in page
    # Energy systems: district heating 400,000,000; mobility: the zone's 20,000,000 opex.
    assert '<th scope="row">Energy systems</th><td class="num">400,000,000</td>' in page
    assert '<th scope="row">Mobility &amp; transport</th><td class="num">20,000,000</td>' in page
    assert '<th scope="row">EU grant</th><td class="num">150,000,000</td>' in page


def test_impact_pathways_sit_on_the_field_of_action_by_lever_grid(client, make_person, iteration):
    complete(iteration)
    signed_in(client, make_person, "editor")
    page = client.get(module_url("pathways")).content.decode()
    grid = page.split('id="pathway-grid-caption"')[1].split("</table>")[0]
    energy_row = grid.split('<th scope="row">Energy systems</th>')[1].split("</tr>")[0]
    cells = energy_row.split("<td>")[1:]
    # "Heat without gas" is energy × technology/infrastructure: the first lever column.
    assert "Heat without gas" in cells[0] and all("Heat without gas" not in c for c in cells[1:])
