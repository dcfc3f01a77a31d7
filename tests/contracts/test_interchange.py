"""Actions in and out of XLSX: export → import gives the same rows, and every bad file is refused
with a message that says where and what, before anything is kept."""

import io
import uuid
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from cityzero.contracts import exports, interchange, selectors, services
from cityzero.contracts.interchange import ACTION_COLUMNS, MAX_ACTIONS, read_actions, write_actions
from cityzero.contracts.models import Action
from cityzero.inventories.interchange import MAX_BYTES
from tests.contracts.conftest import complete

pytestmark = pytest.mark.django_db

FIELDS = [interchange.FORM_FIELDS[column] for column in ACTION_COLUMNS if column != "key"]


def xlsx(rows, header=ACTION_COLUMNS) -> bytes:
    """A workbook as a person might make it: a header row, then the rows as given."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(**cells) -> list:
    """One row of the layout: a name, the other cells empty unless given."""
    values = dict.fromkeys(ACTION_COLUMNS) | {"name": "Solar roofs"} | cells
    return [values[column] for column in ACTION_COLUMNS]


def errors_of(iteration, *rows) -> list[str]:
    parsed = read_actions("actions.xlsx", xlsx(rows), iteration=iteration)
    assert parsed.rows == []
    return parsed.errors


def as_row(action: Action) -> dict:
    return {name: getattr(action, name) for name in FIELDS} | {"key": action.key}


@pytest.fixture
def actions(iteration):
    complete(iteration)
    first = Action.objects.filter(iteration=iteration).first()
    first.description = "=SUM(A1:A9) is not a formula here.\n\nSecond paragraph."
    first.existing_plan = True
    first.action_type, first.scale, first.status = "Infrastructure", "City-wide", "ongoing"
    first.renewable_mwh = Decimal("9007199254740.993")  # more digits than a float keeps
    first.substituted_mwh, first.opex = Decimal("0.001"), Decimal("1234.5")
    first.start_year, first.end_year = 2024, 2030
    services.save_part(iteration, first, base_version=first.version, by=None)
    return list(Action.objects.filter(iteration=iteration).select_related("pathway"))


# --- round trip ---------------------------------------------------------------------------------


def test_exported_actions_read_back_as_the_same_rows(iteration, actions):
    parsed = read_actions("actions.xlsx", write_actions(actions), iteration=iteration)

    assert (parsed.errors, parsed.rows) == ([], [as_row(action) for action in actions])


def test_the_contract_workbook_reads_back_from_its_actions_sheet(iteration, actions):
    workbook = exports.contract_xlsx(selectors.overview(iteration))

    parsed = read_actions("contract.xlsx", workbook, iteration=iteration)

    assert (parsed.errors, parsed.rows) == ([], [as_row(action) for action in actions])


def test_export_writes_the_layout_in_row_1():
    sheet = load_workbook(io.BytesIO(write_actions([])))["Actions"]

    assert [cell.value for cell in sheet[1]] == list(ACTION_COLUMNS)


def test_a_key_of_no_action_of_the_iteration_is_dropped(iteration, actions):
    parsed = read_actions("a.xlsx", xlsx([row(key=str(uuid.uuid4()))]), iteration=iteration)

    assert "key" not in parsed.rows[0]


def test_empty_cells_start_as_the_page_s_form_does(iteration):
    parsed = read_actions("a.xlsx", xlsx([row()]), iteration=iteration)

    assert parsed.rows == [
        {"name": "Solar roofs", "action_type": "", "existing_plan": False, "description": "",
         "field_of_action": "", "lever": "", "pathway": None, "responsible": "", "scale": "",
         "stakeholders": "", "implementation_notes": "", "renewable_mwh": None,
         "substituted_mwh": None, "reduction_buildings": Decimal(0),
         "reduction_transport": Decimal(0), "reduction_waste": Decimal(0),
         "reduction_ippu": Decimal(0), "reduction_afolu": Decimal(0), "capex": None,
         "opex": None, "start_year": None, "end_year": None, "status": "planned"}
    ]  # fmt: skip


def test_columns_may_come_in_any_order_and_case(iteration):
    header = [f" {column.upper()} " for column in reversed(ACTION_COLUMNS)]
    data = xlsx([list(reversed(row(capex=5, lever="FINANCE")))], header=header)

    parsed = read_actions("a.xlsx", data, iteration=iteration)

    assert (parsed.rows[0]["capex"], parsed.rows[0]["lever"]) == (Decimal(5), "finance")


def test_rows_come_in_file_order_and_empty_rows_are_skipped(iteration):
    data = xlsx([row(name="First"), [None] * len(ACTION_COLUMNS), row(name="Second")])

    parsed = read_actions("a.xlsx", data, iteration=iteration)

    assert [r["name"] for r in parsed.rows] == ["First", "Second"]


# --- the shape of the file ----------------------------------------------------------------------


def test_wrong_and_missing_columns_are_named(iteration):
    header = ["key", "nmae", *ACTION_COLUMNS[2:-1], "colour"]

    parsed = read_actions("a.xlsx", xlsx([row()], header=header), iteration=iteration)

    assert parsed.errors == [
        "Row 1, column B: 'nmae' is not a column of the layout; did you mean 'name'?",
        "Row 1, column X: 'colour' is not a column of the layout",
        "Row 1: columns missing: name, status; row 1 must name all of: "
        + ", ".join(ACTION_COLUMNS),
    ]


def test_a_column_named_twice_is_refused(iteration):
    header = [*ACTION_COLUMNS, "name"]

    parsed = read_actions("a.xlsx", xlsx([], header=header), iteration=iteration)

    assert parsed.errors == ["Row 1, column Y: the column name appears twice (columns B and Y)"]


def test_values_in_a_column_without_a_name_are_refused(iteration):
    parsed = read_actions("a.xlsx", xlsx([[*row(), "stray"]]), iteration=iteration)

    assert parsed.errors == [
        "Row 2, column Y: this column has values but no name in row 1; name it or remove it"
    ]


def test_more_than_max_actions_is_one_error(iteration):
    assert errors_of(iteration, *[row()] * (MAX_ACTIONS + 1)) == [
        "The file has more than 1,000 actions; import at most 1,000 actions at a time."
    ]


def test_ten_thousand_rows_are_refused_before_any_row_is_checked(iteration, monkeypatch):
    checked = []
    monkeypatch.setattr(interchange, "ActionForm", lambda *a, **kw: checked.append(a))
    data = xlsx([row()] * 10_000)

    parsed = read_actions("a.xlsx", data, iteration=iteration)

    assert (parsed.rows, parsed.errors, checked) == (
        [],
        ["The file has more than 1,000 actions; import at most 1,000 actions at a time."],
        [],
    )


def test_a_file_over_the_size_limit_is_refused_unread(iteration):
    parsed = read_actions("a.xlsx", b"PK\x03\x04" + bytes(MAX_BYTES), iteration=iteration)

    assert parsed.errors == ["The file is 5.0 MB; files of at most 5 MB can be imported."]


def test_a_csv_renamed_to_xlsx_is_refused(iteration):
    data = ",".join(ACTION_COLUMNS).encode() + b"\r\n,Solar roofs\r\n"

    parsed = read_actions("actions.xlsx", data, iteration=iteration)

    assert parsed.errors == [
        "actions.xlsx is text (CSV or similar), not an XLSX workbook, whatever its name says. "
        "Open it in a spreadsheet program, save it as .xlsx (Excel workbook) and import that file."
    ]


def test_a_zip_that_is_no_workbook_is_refused(iteration):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")

    parsed = read_actions("actions.xlsx", buffer.getvalue(), iteration=iteration)

    assert parsed.errors == [
        "actions.xlsx cannot be read as an XLSX workbook. Save it again as .xlsx (Excel "
        "workbook) and import that file."
    ]


def test_an_old_excel_workbook_is_refused(iteration):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)

    assert read_actions("actions.xls", data, iteration=iteration).errors == [
        "This is an old Excel workbook (.xls) or a password-protected one; save it as .xlsx "
        "without a password."
    ]


def test_an_empty_file_is_refused(iteration):
    assert read_actions("a.xlsx", b"", iteration=iteration).errors == ["The file is empty."]


# --- the cells ----------------------------------------------------------------------------------


def test_a_formula_is_refused(iteration):
    assert errors_of(iteration, row(capex="=1+2")) == [
        "Row 2, column capex: formulas are not accepted — paste values"
    ]


def test_an_unknown_pathway_is_named_with_the_ones_there_are(iteration, actions):
    assert errors_of(iteration, row(pathway="Heat with gas")) == [
        "Row 2, column pathway: 'Heat with gas' is not an impact pathway of this iteration; "
        "use one of: Heat without gas, or leave the cell empty"
    ]


def test_a_pathway_without_any_pathway_in_the_iteration(iteration):
    assert errors_of(iteration, row(pathway="Heat")) == [
        "Row 2, column pathway: 'Heat' is not an impact pathway: this iteration has none yet; "
        "add it under B-1 first, or leave the cell empty"
    ]


def test_pathways_are_found_by_name_whatever_the_case(iteration, actions):
    parsed = read_actions("a.xlsx", xlsx([row(pathway="heat WITHOUT gas")]), iteration=iteration)

    assert parsed.rows[0]["pathway"] == actions[0].pathway


@pytest.mark.parametrize(
    ("column", "value", "codes"),
    [
        ("field_of_action", "energie", "energy (Energy systems), buildings (Built environment), "
         "mobility (Mobility & transport), waste (Waste & circular economy), green (Green "
         "infrastructure & nature-based solutions)"),
        ("lever", "money", "technology (Technology/infrastructure), governance (Governance & "
         "policy), social_innovation (Social innovation), democracy (Democracy/participation), "
         "learning (Learning & capabilities), finance (Finance & funding)"),
        ("status", "done", "planned (Planned), preparation (In preparation), ongoing (Ongoing), "
         "completed (Completed)"),
    ],
)  # fmt: skip
def test_an_unknown_code_lists_the_allowed_ones(iteration, column, value, codes):
    assert errors_of(iteration, row(**{column: value})) == [
        f"Row 2, column {column}: '{value}' is not a code of {column}; use one of: {codes}"
    ]


def test_existing_plan_is_yes_or_no(iteration):
    assert errors_of(iteration, row(existing_plan="maybe")) == [
        "Row 2, column existing_plan: 'maybe' is neither yes nor no"
    ]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"capex": -1}, "Row 2, column capex: Ensure this value is greater than or equal to 0."),
        ({"reduction_waste": 1e13},
         "Row 2, column reduction_waste: Ensure this value is less than or equal to 1E+12."),
        ({"renewable_mwh": 1e20},
         "Row 2, column renewable_mwh: Ensure that there are no more than 16 digits in total."),
        ({"start_year": 1990},
         "Row 2, column start_year: Ensure this value is greater than or equal to 2000."),
        ({"opex": "lots"}, "Row 2, column opex: 'lots' is not a number"),
        ({"capex": "1,5"}, "Row 2, column capex: '1,5' is not a number: use a point as the "
         "decimal separator and no thousands separators (write 1.5)"),
        ({"end_year": 2027.5}, "Row 2, column end_year: Enter a whole number."),
        ({"start_year": 2030, "end_year": 2025},
         "Row 2, column end_year: The action cannot end before it starts."),
        ({"name": "x" * 201},
         "Row 2, column name: Ensure this value has at most 200 characters (it has 201)."),
    ],
)  # fmt: skip
def test_numbers_and_texts_obey_the_page_s_rules(iteration, cells, message):
    assert errors_of(iteration, row(**cells)) == [message]


def test_a_key_that_is_no_key_is_refused(iteration):
    assert errors_of(iteration, row(key="abc")) == [
        "Row 2, column key: 'abc' is not an action key; leave the cell empty for a new action"
    ]


def test_a_key_twice_in_the_file_is_refused(iteration, actions):
    key = str(actions[0].key)

    assert errors_of(iteration, row(key=key), row(key=key)) == [
        "Row 3, column key: row 2 has the same key; each action can be in the file only once"
    ]


def test_the_whole_file_is_checked_and_nothing_is_kept_half_way(iteration):
    errors = errors_of(iteration, row(), row(capex=-1, lever="money"), row(), row(opex="x"))

    assert [error.split(":")[0] for error in errors] == [
        "Row 3, column lever",
        "Row 3, column capex",
        "Row 5, column opex",
    ]
