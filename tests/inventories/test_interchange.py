"""The documented CSV/XLSX layout: round trips, every bad file, formula injection. No database."""

import io
import zipfile
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityzero.ghg.gpc import REFS
from cityzero.ghg.inventory import LineItem
from cityzero.inventories import interchange
from cityzero.inventories.interchange import (
    COLUMNS,
    MAX_BYTES,
    MAX_DECIMALS,
    MAX_LENGTHS,
    MAX_ROWS,
    FileError,
    describe,
    neutralise,
    read_csv,
    read_file,
    read_xlsx,
    unescape,
    write_csv,
    write_xlsx,
)

HEADER = ",".join(COLUMNS)


def row(**cells):
    return {c: cells.get(c, "") for c in COLUMNS}


ROWS = [
    row(
        gpc_ref="I.1.1",
        description="Gas for heating, utility data",
        carrier="natural_gas",
        quantity="1000",
        unit="MWh",
        source="Utility 2023 report",
    ),
    row(
        gpc_ref="I.1.2",
        description="Grid electricity\nall households",
        carrier="electricity",
        quantity="48250.125",
        unit="MWh",
        emission_factor="0.2315",
        ef_unit="t CO2/MWh",
        source="National grid operator",
    ),
    row(gpc_ref="II.1.1", carrier="diesel", quantity="10000", unit="l", description="  padded  "),
    row(gpc_ref="IV.1", quantity="12.5", unit="t CO2e", gas="HFCs", description="Cooling"),
    row(gpc_ref="V.2", quantity="-350.75", unit="t CO2", description="Forest removals"),
    row(gpc_ref="I.3.1", notation_key="C", explanation="Confidential: single plant"),
    row(gpc_ref="I.1.3", notation_key="IE", explanation="included in I.1.2"),
    row(gpc_ref="II.1.2", quantity="123456789012.123456", unit="vkm", carrier="diesel"),
    row(gpc_ref="III.1.1", quantity="0.000001", unit="t", emission_factor="0.0000000001"),
]
for r in ROWS[8:]:
    r["ef_unit"] = "t CH4/t"


def csv_file(*lines, header=HEADER):
    return ("\r\n".join([header, *lines]) + "\r\n").encode()


def messages(parsed):
    return [str(e) for e in parsed.errors]


def xlsx_file(rows, *, header=COLUMNS):
    """A workbook written the ordinary way (values may become formulas, as in a user's file)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("write", "read"), [(write_csv, read_csv), (write_xlsx, read_xlsx)])
def test_export_then_import_gives_the_same_rows(write, read):
    parsed = read(write(ROWS))
    assert parsed.errors == []
    assert parsed.records == ROWS
    assert [r.row for r in parsed.rows] == list(range(2, len(ROWS) + 2))
    assert write(parsed.records) == write(ROWS) or write is write_xlsx  # xlsx zips carry a time
    assert read(write(parsed.records)).records == ROWS


def test_items_carry_the_numbers():
    items = read_csv(write_csv(ROWS)).items
    assert items[0] == LineItem(
        "I.1.1",
        description="Gas for heating, utility data",
        carrier="natural_gas",
        quantity=1000.0,
        unit="MWh",
        source="Utility 2023 report",
    )
    assert items[5].quantity is None and items[5].notation_key == "C"
    assert items[1].emission_factor == 0.2315


def test_exact_decimals_survive_both_formats():
    for write, read in [(write_csv, read_csv), (write_xlsx, read_xlsx)]:
        parsed = read(write(ROWS))
        assert parsed.rows[7].decimal("quantity") == Decimal("123456789012.123456")
        assert parsed.rows[8].decimal("emission_factor") == Decimal("1E-10")


def test_xlsx_numbers_are_number_cells_when_exact_and_text_when_not():
    ws = openpyxl.load_workbook(io.BytesIO(write_xlsx(ROWS))).active
    assert ws["D2"].value == 1000 and ws["D2"].data_type == "n"
    assert ws["D3"].value == 48250.125
    # 18 significant digits do not fit a spreadsheet number: kept exact as text.
    assert ws["D9"].value == "123456789012.123456" and ws["D9"].data_type == "s"


def test_database_decimals_export_without_trailing_zeros():
    exported = write_csv(
        [row(gpc_ref="I.1.1", quantity=Decimal("1.500000"), emission_factor=Decimal("0E-10"))]
    )
    assert b"I.1.1,,,1.5,,0," in exported
    line_items = [LineItem("I.1.1", carrier="diesel", quantity=2.5, unit="l")]
    assert read_csv(write_csv(line_items)).records[0]["quantity"] == "2.5"


def test_csv_is_utf8_with_bom_and_crlf():
    data = write_csv([row(gpc_ref="I.1.1", description="Fernwärme, Köln")])
    assert data.startswith(b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n")
    assert "Fernwärme".encode() in data
    assert data.endswith(b"\r\n")


def test_csv_without_bom_and_with_bom_read_the_same():
    plain = csv_file("I.1.1,Köln,natural_gas,5,MWh,,,,,,")
    assert read_csv(plain).records == read_csv(b"\xef\xbb\xbf" + plain).records
    assert read_csv(b"\xef\xbb\xbf" + plain).records[0]["description"] == "Köln"


def test_semicolon_separated_csv_is_read():
    parsed = read_csv(
        csv_file("I.1.1;x;natural_gas;5.5;MWh;;;;;;", header=HEADER.replace(",", ";"))
    )
    assert parsed.errors == []
    assert parsed.records[0]["quantity"] == "5.5"


def test_header_in_any_order_and_case():
    header = ",".join(reversed([c.upper() for c in COLUMNS]))
    parsed = read_csv(csv_file(",,,,,,MWh,5,natural_gas,,I.1.1", header=header))
    assert parsed.errors == []
    assert parsed.records[0]["gpc_ref"] == "I.1.1"


def test_codes_are_trimmed_and_free_text_kept():
    parsed = read_csv(csv_file(" i.1.1 ,  two  spaces ,natural_gas, 5 , MWh ,,,,,, src "))
    assert parsed.errors == []
    r = parsed.records[0]
    assert (r["gpc_ref"], r["unit"], r["quantity"]) == ("I.1.1", "MWh", "5")
    assert (r["description"], r["source"]) == ("  two  spaces ", " src ")


def test_empty_rows_are_skipped_and_row_numbers_stay_the_files():
    parsed = read_csv(
        csv_file(
            "I.1.1,,natural_gas,5,MWh,,,,,,",
            "",
            ",,,,,,,,,,",
            " , ,,,,,,,,,",
            "I.1.2,,electricity,x,MWh,,,,,,",
            "I.1.2,,electricity,7,MWh,,,,,,",
        )
    )
    assert messages(parsed) == ["Row 6, column quantity: 'x' is not a number"]
    assert [r.row for r in parsed.rows] == [2, 7]


def test_renumber_maps_item_positions_to_file_rows():
    from cityzero.ghg.inventory import RowError

    parsed = read_csv(csv_file("I.1.1,,natural_gas,5,MWh,,,,,,", "", "", "I.1.2,,x,7,MWh,,,,,,"))
    errors = [RowError(3, "carrier", "unknown carrier")]  # validate(..., first_row=2)
    assert parsed.renumber(errors, first_row=2) == [RowError(5, "carrier", "unknown carrier")]


# --- bad files -----------------------------------------------------------------------------------


def test_text_in_numbers_is_reported_by_row_and_column():
    parsed = read_csv(
        csv_file(
            "I.1.1,,natural_gas,5,MWh,,,,,,",
            "I.1.1,,natural_gas,5,MWh,,,,,,",
            "I.1.1,,natural_gas,5,MWh,,,,,,",
            "I.1.1,,natural_gas,twelve,MWh,abc,t CO2/MWh,,,,",
        )
    )
    assert messages(parsed) == [
        "Row 5, column quantity: 'twelve' is not a number",
        "Row 5, column emission_factor: 'abc' is not a number",
    ]
    assert len(parsed.rows) == 3


def test_comma_decimals_are_refused_with_a_hint():
    parsed = read_csv(
        csv_file('I.1.1,,natural_gas,"12,5",MWh,,,,,,', 'I.1.1,,natural_gas,"1,234.5",MWh,,,,,,')
    )
    assert messages(parsed) == [
        "Row 2, column quantity: '12,5' is not a number: use a point as the decimal separator "
        "and no thousands separators (write 12.5)",
        "Row 3, column quantity: '1,234.5' is not a number: use a point as the decimal separator "
        "and no thousands separators (write the digits without thousands separators, like "
        "1234567.5)",
    ]


def test_negative_absurd_and_too_precise_numbers():
    parsed = read_csv(
        csv_file(
            "I.1.1,,natural_gas,-5,MWh,,,,,,",
            "I.1.1,,natural_gas,2e12,MWh,,,,,,",
            "I.1.1,,natural_gas,1.1234567,MWh,-0.2,t CO2/MWh,,,,",
            "V.2,,,-5,t CO2,,,,,,",  # AFOLU removals may be negative
            "I.1.1,,natural_gas,1000000000000,MWh,0.00000000001,t CO2/MWh,,,,",
        )
    )
    assert messages(parsed) == [
        "Row 2, column quantity: quantities cannot be negative (only AFOLU removals, reported "
        "directly in t CO2 or t CO2e, can)",
        "Row 3, column quantity: 2000000000000 is implausibly large (more than 10^12); check the "
        "number and its unit",
        "Row 4, column quantity: 1.1234567 has 7 decimal places; at most 6 are kept",
        "Row 4, column emission_factor: an emission factor cannot be negative",
        "Row 6, column emission_factor: 0.00000000001 has 11 decimal places; at most 10 are kept",
    ]
    assert [r.row for r in parsed.rows] == [5]


def test_nan_and_infinity_are_not_numbers():
    parsed = read_csv(csv_file("I.1.1,,natural_gas,NaN,MWh,,,,,,", "I.1.1,,gas,inf,MWh,,,,,,"))
    assert messages(parsed) == [
        "Row 2, column quantity: 'NaN' is not a number",
        "Row 3, column quantity: 'inf' is not a number",
    ]


def test_unknown_gpc_references():
    parsed = read_csv(
        csv_file(
            "I.1.9,,natural_gas,5,MWh,,,,,,",
            "X.1,,natural_gas,5,MWh,,,,,,",
            ",,natural_gas,5,MWh,,,,,,",
        )
    )
    assert messages(parsed) == [
        "Row 2, column gpc_ref: GPC has no reference I.1.9; I.1 has I.1.1, I.1.2, I.1.3",
        "Row 3, column gpc_ref: 'X.1' is not a GPC reference number; write it like I.1.1, "
        "II.1.2, III.1.2 or IV.1",
        "Row 4, column gpc_ref: a GPC reference number is required, e.g. I.1.1",
    ]


def test_notation_keys_quantities_units_and_factor_pairs():
    parsed = read_csv(
        csv_file(
            "I.1.1,,,5,MWh,,,,NO,not occurring,",
            "I.1.1,,natural_gas,5,,,,,,,",
            "I.1.1,,natural_gas,,,,,,,,",
            "I.1.1,,,,,,,,XX,,",
            "I.1.1,,natural_gas,5,MWh,0.2,,,,,",
            "I.1.1,,natural_gas,5,MWh,,t CO2/MWh,,,,",
            "I.1.1,,,,,,,,ne,not estimated,",
        )
    )
    assert messages(parsed) == [
        "Row 2, column quantity: a row with notation key NO has no quantity; leave it empty",
        "Row 3, column unit: a unit is required, e.g. MWh, l, t, vkm or t CO2 for reported emissions",
        "Row 4, column quantity: a quantity is required, or a notation key (NO, IE, NE, C) with an "
        "explanation",
        "Row 5, column notation_key: 'XX' is not a notation key; use NO, IE, NE or C",
        "Row 6, column ef_unit: an emission factor needs its unit, e.g. t CO2/MWh or kg CO2e/vkm",
        "Row 7, column emission_factor: ef_unit is t CO2/MWh but the emission factor is empty; "
        "fill in both, or leave both empty to use the inventory's factor set",
    ]
    assert parsed.records[0]["notation_key"] == "NE"


def test_missing_unknown_and_duplicated_columns_are_reported_once():
    header = "gpc_ref,description,carrier,quantty,unit,emission_factor,ef_unit,gas,gas,notation_key,explanation"
    lines = [f"I.1.1,,natural_gas,{n},MWh,,,,,," for n in range(1, 6)]
    parsed = read_csv(csv_file(*lines, header=header))
    assert messages(parsed) == [
        "Row 1, column gas: the column appears twice (columns H and I)",
        "Row 1, column D: 'quantty' is not a column of the layout; did you mean 'quantity'?",
        f"Row 1, column quantity: the column is missing; row 1 must name all of: {', '.join(COLUMNS)}",
        f"Row 1, column source: the column is missing; row 1 must name all of: {', '.join(COLUMNS)}",
    ]


def test_a_file_without_header_gets_one_error():
    parsed = read_csv(b"I.1.1,,natural_gas,5,MWh,,,,,,\r\nI.1.2,,electricity,5,MWh,,,,,,\r\n")
    assert messages(parsed) == [
        f"Row 1, column : row 1 must name the columns: {', '.join(COLUMNS)} (found: 'I.1.1', "
        "'natural_gas', '5', 'MWh')"
    ]
    assert describe(parsed.errors[0]).startswith("Row 1: row 1 must name the columns")


def test_values_in_a_column_without_a_name_are_reported_once():
    parsed = read_csv(csv_file("I.1.1,,natural_gas,5,MWh,,,,,,,x", "I.1.1,,gas,5,MWh,,,,,,,y"))
    assert messages(parsed) == [
        "Row 2, column L: this column has values but no name in row 1; name it or remove it "
        f"(the columns are: {', '.join(COLUMNS)})"
    ]


def test_trailing_empty_cells_are_fine():
    parsed = read_csv(csv_file("I.1.1,,natural_gas,5,MWh,,,,,,,,,", "I.1.1,,natural_gas,5,MWh"))
    assert parsed.errors == []
    assert len(parsed.rows) == 2


def test_too_long_text_and_control_characters():
    long = "x" * 301
    parsed = read_csv(
        csv_file(f"I.1.1,{long},natural_gas,5,MWh,,,,,,", "I.1.1,a\x07b,gas,5,MWh,,,,,,")
    )
    assert messages(parsed) == [
        "Row 2, column description: the text is 301 characters long; at most 300 fit",
        "Row 3, column description: the text contains a control character (U+0007); remove it",
    ]


def test_lengths_and_decimals_match_the_model():
    from cityzero.inventories.models import InventoryRow

    for column, length in MAX_LENGTHS.items():
        assert InventoryRow._meta.get_field(column).max_length == length
    for column, places in MAX_DECIMALS.items():
        assert InventoryRow._meta.get_field(column).decimal_places == places


def test_too_many_rows_are_refused():
    lines = ["I.1.1,,natural_gas,5,MWh,,,,,,"] * (MAX_ROWS + 1)
    parsed = read_csv(csv_file(*lines))
    assert messages(parsed) == [
        "The file has more than 20,000 rows; import at most 20,000 line items at a time."
    ]
    assert parsed.rows == []
    assert len(read_csv(csv_file(*lines[:MAX_ROWS])).rows) == MAX_ROWS


def _must_not_run(*args, **kwargs):
    raise AssertionError("the file was parsed although it should have been refused first")


def test_six_megabyte_file_is_refused_before_parsing(monkeypatch):
    data = csv_file(*["I.1.1,,natural_gas,twelve,MWh,,,,,,"] * 180_000)
    assert len(data) > 6 * 1024 * 1024 > MAX_BYTES
    monkeypatch.setattr(interchange, "_decode", _must_not_run)
    monkeypatch.setattr(interchange, "_read_workbook", _must_not_run)
    for reader in (read_csv, read_xlsx, lambda d: read_file("big.csv", d)):
        parsed = reader(data)
        assert len(parsed.errors) == 1
        assert isinstance(parsed.errors[0], FileError)
        assert str(parsed.errors[0]).startswith("The file is 6.")
        assert "at most 5 MB" in str(parsed.errors[0])


def test_wrong_encoding_is_reported_with_its_line():
    data = csv_file("I.1.1,Fernwärme,natural_gas,5,MWh,,,,,,").replace(
        "ä".encode(), "ä".encode("latin-1")
    )
    assert messages(read_csv(data)) == [
        "The file is not UTF-8 text (the first character that is not is on line 2). Save it as "
        "“CSV UTF-8 (comma delimited)” and import that file."
    ]
    utf16 = HEADER.encode("utf-16")
    assert "UTF-16" in messages(read_csv(utf16))[0]


def test_empty_and_broken_csv():
    assert messages(read_csv(b"")) == ["The file is empty."]
    assert messages(read_csv(b"\xef\xbb\xbf")) == ["The file is empty."]
    broken = csv_file('I.1.1,"unterminated,natural_gas,5,MWh,,,,,,')
    assert messages(read_csv(broken))[0].startswith("The CSV file cannot be read near line")
    assert "more than 64 columns" in messages(read_csv(csv_file("," * 80)))[0]


# --- XLSX-specific -------------------------------------------------------------------------------


def test_xlsx_formulas_are_refused_by_row_and_column():
    data = xlsx_file(
        [
            ["I.1.1", "", "natural_gas", 5, "MWh"],
            ["I.1.1", "", "natural_gas", 5, "MWh"],
            ["I.1.1", "=A2", "natural_gas", "=2+3", "MWh"],
        ]
    )
    assert messages(read_xlsx(data)) == [
        "Row 4, column description: formulas are not accepted — paste values",
        "Row 4, column quantity: formulas are not accepted — paste values",
    ]


def test_xlsx_cells_of_other_types():
    data = xlsx_file(
        [
            ["I.1.1", 2019, "natural_gas", datetime(2024, 1, 2), "MWh"],
            ["I.1.1", True, "natural_gas", 12.5, "MWh", None, None, None, None, None, 2023],
            ["I.1.1", "", "natural_gas", True, "MWh"],
        ]
    )
    parsed = read_xlsx(data)
    assert messages(parsed) == [
        "Row 2, column quantity: the cell is a date (2024-01-02T00:00:00), not a number; format "
        "the column as numbers",
        "Row 4, column quantity: 'TRUE' is not a number",
    ]
    assert parsed.records[0]["description"] == "TRUE"
    assert parsed.records[0]["quantity"] == "12.5"
    assert parsed.records[0]["source"] == "2023"


def test_xlsx_first_worksheet_only():
    wb = openpyxl.Workbook()
    wb.active.append(list(COLUMNS))
    wb.active.append(["I.1.1", "", "natural_gas", 5, "MWh"])
    other = wb.create_sheet("Notes")
    other.append(["anything", "=1+1"])
    out = io.BytesIO()
    wb.save(out)
    parsed = read_xlsx(out.getvalue())
    assert parsed.errors == []
    assert len(parsed.rows) == 1


@pytest.mark.parametrize(
    "data",
    [
        b"not a workbook at all",
        b"PK\x03\x04 truncated zip",
        write_xlsx(ROWS)[:2000],
    ],
)
def test_malformed_xlsx_gives_one_clear_error(data):
    assert messages(read_xlsx(data)) == [
        "The file cannot be read as an XLSX workbook. Save it again as .xlsx (Excel workbook) or "
        "as CSV (UTF-8)."
    ]


def test_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hello")
    assert messages(read_xlsx(out.getvalue()))[0].startswith("The file cannot be read as an XLSX")


def test_xlsx_zip_bomb_is_refused_before_unpacking(monkeypatch):
    out = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z,
        z.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        for _ in range(120):
            member.write(chunk)
    data = out.getvalue()
    assert len(data) < MAX_BYTES
    monkeypatch.setattr(interchange, "_read_workbook", _must_not_run)
    assert messages(read_xlsx(data))[0].startswith("The workbook unpacks to more than 100 MB")


def test_xlsx_sheet_reaching_far_down_is_refused():
    wb = openpyxl.Workbook()
    wb.active.append(list(COLUMNS))
    wb.active.cell(row=1_000_000, column=1, value="I.1.1")
    out = io.BytesIO()
    wb.save(out)
    assert messages(read_xlsx(out.getvalue())) == [
        "The file has more than 20,000 rows; import at most 20,000 line items at a time."
    ]


def test_xlsx_with_too_many_columns_is_refused():
    wb = openpyxl.Workbook()
    wb.active.append(list(COLUMNS))
    wb.active.cell(row=2, column=65, value="x")
    out = io.BytesIO()
    wb.save(out)
    assert "more than 64 columns" in messages(read_xlsx(out.getvalue()))[0]


def test_read_file_chooses_by_content_then_name():
    xlsx = write_xlsx(ROWS)
    assert read_file("inventory.csv", xlsx).format == "xlsx"
    assert read_file("inventory.csv", xlsx).records == ROWS
    assert read_file("inventory.txt", write_csv(ROWS)).records == ROWS
    assert (
        read_file("INVENTORY.XLSX", write_csv(ROWS))
        .errors[0]
        .message.startswith("The file cannot be read as an XLSX")
    )
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
    assert "old Excel workbook (.xls)" in messages(read_file("inventory.xls", old))[0]
    assert ".ods" in messages(read_file("inventory.ods", b"PK\x03\x04..."))[0]


# --- formula injection ---------------------------------------------------------------------------

DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "'=already", "''@x"]


def test_neutralise_and_unescape_are_inverse():
    for text in [*DANGEROUS, "\rx", "plain", "'quoted", "'", "", "-", "a=b"]:
        assert unescape(neutralise(text)) == text
    assert neutralise("=1") == "'=1"
    assert neutralise("'=1") == "''=1"
    assert neutralise("'quoted") == "'quoted"
    assert neutralise("a=b") == "a=b"


def test_csv_export_neutralises_formula_cells_and_import_restores_them():
    rows = [
        row(gpc_ref="I.1.1", description=text, explanation=text, source=text, notation_key="NE")
        for text in DANGEROUS
    ]
    data = write_csv(rows).decode("utf-8-sig")
    for line in data.split("\r\n")[1:-1]:
        for cell in line.split(",")[1:]:
            assert not cell.lstrip('"').startswith(("=", "+", "-", "@", "\t", "\r"))
    assert "'=HYPERLINK" in data and "'+1+1" in data and "'@SUM" in data
    assert read_csv(write_csv(rows)).records == rows


def test_csv_export_neutralises_a_formula_in_a_number_column():
    data = write_csv([row(gpc_ref="I.1.1", quantity="=1+1", emission_factor="@x")])
    assert b",'=1+1," in data and b",'@x," in data


def test_xlsx_export_writes_text_cells_never_formulas():
    rows = [
        row(gpc_ref="I.1.1", description=text, explanation=text, source=text, notation_key="NE")
        for text in DANGEROUS
    ]
    data = write_xlsx(rows)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t"))
    assert ws["B2"].value == '\'=HYPERLINK("http://x")'
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    assert read_xlsx(data).records == rows


def test_carriage_return_at_the_start_is_neutralised_and_becomes_a_line_break():
    exported = write_csv([row(gpc_ref="I.1.1", description="\r=1", notation_key="NE")])
    assert b',"\'\r=1",' in exported
    assert read_csv(exported).records[0]["description"] == "\n=1"


# --- property: any valid rows survive both formats ------------------------------------------------

_text_chars = st.characters(
    codec="utf-8",
    exclude_categories=("Cs",),
    exclude_characters="".join(chr(c) for c in range(32) if c not in (9, 10)) + "\ufffe\uffff",
)


def _free(column):
    return st.text(_text_chars, max_size=min(MAX_LENGTHS[column], 40))


def _code(column):
    return (
        st.text(_text_chars, max_size=min(MAX_LENGTHS[column], 20))
        .map(str.strip)
        .filter(lambda t: len(t) <= MAX_LENGTHS[column])
    )


def _decimal(places, digits):
    return st.builds(
        lambda n, p: format(Decimal(n).scaleb(-p).normalize(), "f"),
        st.integers(0, 10**digits),
        st.integers(0, places),
    ).map(lambda t: t.rstrip("0").rstrip(".") if "." in t else t)


@st.composite
def valid_rows(draw):
    cells = {c: draw(_free(c)) for c in ("description", "explanation", "source")}
    cells |= {c: draw(_code(c)) for c in ("carrier", "gas")}
    cells["gpc_ref"] = draw(st.sampled_from(sorted(REFS)))
    if draw(st.booleans()):
        cells |= {"notation_key": draw(st.sampled_from(["NO", "IE", "NE", "C"])), "quantity": ""}
        cells["unit"] = draw(_code("unit"))
    else:
        cells |= {"notation_key": "", "quantity": draw(_decimal(6, 12))}
        cells["unit"] = draw(_code("unit").filter(bool))
    if draw(st.booleans()):
        cells["emission_factor"] = draw(_decimal(10, 12))
        cells["ef_unit"] = draw(_code("ef_unit").filter(bool))
    else:
        cells |= {"emission_factor": "", "ef_unit": ""}
    return {c: cells[c] for c in COLUMNS}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(valid_rows(), min_size=1, max_size=8))
def test_any_valid_rows_round_trip_through_csv(rows):
    parsed = read_csv(write_csv(rows))
    assert parsed.errors == []
    assert parsed.records == rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(valid_rows(), min_size=1, max_size=8))
def test_any_valid_rows_round_trip_through_xlsx(rows):
    parsed = read_xlsx(write_xlsx(rows))
    assert parsed.errors == []
    assert parsed.records == rows
