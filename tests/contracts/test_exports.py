"""The contract's PDF and XLSX exports: what they hold, that the PDF fetches nothing, and that no
text cell of the workbook runs as a formula."""

import io
import socket
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from cityzero.contracts import exports, selectors, services
from cityzero.contracts.models import Action, ModuleContent
from cityzero.contracts.modules import BY_CODE
from cityzero.inventories.models import Inventory
from tests.contracts.conftest import add, complete

pytestmark = pytest.mark.django_db

IMAGE_URL = "http://example.org/x.png"


def pdf_text(data: bytes) -> str:
    """The text of a PDF file as a reader's tool extracts it, all pages."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def words(pages: list[list[str]]) -> str:
    """All the text, with every run of white space (line ends too) as one space."""
    return " ".join(" ".join(" ".join(page) for page in pages).split())


def text_of(box) -> list[str]:
    """The text of a laid-out box and its descendants, in document order."""
    found = [box.text] if getattr(box, "text", None) else []
    for child in getattr(box, "children", None) or []:
        found.extend(text_of(child))
    return found


def page_texts(document) -> list[list[str]]:
    """Each page's text boxes; pypdf and pdftotext are not installed, so read WeasyPrint's own
    layout, the one ``write_pdf`` draws."""
    return [text_of(page._page_box) for page in document.pages]


@pytest.fixture
def overview(iteration):
    complete(iteration)
    return selectors.overview(iteration)


@pytest.fixture
def pages(overview):
    return page_texts(exports.contract_document(overview))


def test_the_pdf_file_itself_holds_the_city_the_target_table_and_an_action(overview):
    text = pdf_text(exports.contract_pdf(overview))
    assert "Aachen" in text and "Target and residual emissions" in text
    assert "District heating" in text


def test_pdf_is_a_pdf(overview):
    assert exports.contract_pdf(overview).startswith(b"%PDF-")


def test_pdf_names_the_city_on_the_cover(pages):
    assert pages[0][:4] == [
        "EU Mission: 100 climate-neutral and smart cities by 2030",
        "Aachen",
        "Climate City Contract",
        "Iteration",
    ]


def test_pdf_holds_the_target_table_and_the_actions(pages):
    text = words(pages)
    assert "Target and residual emissions" in text
    assert "District heating" in text


def test_pdf_pages_are_numbered_except_the_cover(pages):
    total = len(pages)
    assert not any(line.startswith("Page ") for line in pages[0])
    assert [page[-1] for page in pages[1:]] == [f"Page {n} of {total}" for n in range(2, total + 1)]


def test_pdf_contents_give_the_page_of_each_module(pages):
    heading = "B-2 Action portfolio"
    contents = [line for line in pages[1] if line.strip(". ")]
    listed = contents[contents.index(heading) + 1]
    found = [n for n, page in enumerate(pages[2:], start=3) if heading in page]
    assert found == [int(listed)]


def test_pdf_cover_says_the_baseline_is_illustrative(iteration, overview):
    Inventory.objects.filter(pk=iteration.baseline_id).update(illustrative=True)
    iteration.baseline.refresh_from_db()

    cover = page_texts(exports.contract_document(overview))[0]

    assert "Illustrative" in cover


def test_pdf_cover_has_no_badge_for_a_city_s_own_baseline(pages):
    assert "Illustrative" not in pages[0]


def test_pdf_of_an_iteration_without_baseline_or_parts(city):
    iteration = services.start_contract(city, baseline=None, by=None)

    text = words(page_texts(exports.contract_document(selectors.overview(iteration))))

    assert "No baseline inventory is chosen yet." in text


def test_pdf_fetches_no_image_that_a_text_names(iteration, overview, monkeypatch):
    # Markdown is sanitised on save and drops images; store one anyway, as if that ever failed.
    services.save_module(iteration, BY_CODE["outlook"], fields={"next_steps": "Next."},
                         tables={}, base_version=0, by=None)  # fmt: skip
    ModuleContent.objects.filter(iteration=iteration, module="outlook").update(
        html={"next_steps": f'<p>Next.</p><img src="{IMAGE_URL}" alt="">'}
    )
    connections = []
    monkeypatch.setattr(socket.socket, "connect", lambda *args: connections.append(args))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kw: connections.append(args))
    fetcher = exports.OfflineFetcher()

    exports.contract_document(selectors.overview(iteration), fetcher=fetcher)

    assert (fetcher.refused, connections) == ([IMAGE_URL], [])


def test_pdf_of_a_contract_fetches_nothing(overview):
    fetcher = exports.OfflineFetcher()

    exports.contract_document(overview, fetcher=fetcher)

    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url", [IMAGE_URL, "https://example.org/style.css", "file:///etc/passwd", "ftp://x/y"]
)
def test_offline_fetcher_refuses_anything_but_data_urls(url):
    with pytest.raises(ValueError, match="Only data: URLs"):
        exports.OfflineFetcher().fetch(url)


def test_offline_fetcher_reads_data_urls():
    response = exports.OfflineFetcher().fetch("data:text/plain;base64,aGVsbG8=")

    assert response.read() == b"hello"


def test_page_numbers_follow_the_word_order_of_the_translation():
    assert exports.css_content("Seite %(page)s von %(pages)s") == (
        '"Seite " counter(page) " von " counter(pages)'
    )


def test_css_strings_cannot_close_the_style_element():
    assert exports.css_string('A "B" </style>\\') == '"A \\"B\\" \\3c /style>\\\\"'


# --- XLSX ---------------------------------------------------------------------------------------


def workbook(overview):
    return load_workbook(io.BytesIO(exports.contract_xlsx(overview)))


def test_xlsx_has_one_sheet_per_table(overview):
    assert workbook(overview).sheetnames == [
        "Target table", "Actions", "Funding", "Pathways", "Indicators", "Signatories",
        "Sinks and offsets", "Checklist", "3–4 Key priorities", "A Support statements",
        "A-2 Current policies", "A-3 Barriers and opportunities", "A-3 Systems and stakeholders",
        "C-1 Interventions", "C-2 Interventions", "IP-A1 Climate spending by field",
        "IP-A2 Income and extraordinary", "IP-A3 Barriers", "IP-B3 Indicators", "IP-C1 Policies",
        "IP-C2 Risks", "IP-C3 Financial stakeholders", "Texts",
    ]  # fmt: skip


def test_xlsx_target_table_holds_the_overview_s_numbers(overview):
    sheet = workbook(overview)["Target table"]
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    expected = []
    for row in overview.table.rows:
        values = [row.baseline]
        for name in ("target", "existing", "gap", "portfolio", "shortfall", "residual"):
            value = getattr(row, name)
            values += [value, row.pct(value)]
        expected.append(values)

    assert [row[0] for row in rows] == [
        "Buildings (stationary energy)", "Transport", "Waste",
        "Industrial processes and product use (IPPU)",
        "Agriculture, forestry and other land use (AFOLU)", "Total",
    ]  # fmt: skip
    assert [row[1:] for row in rows] == expected


def test_xlsx_text_that_looks_like_a_formula_stays_text(iteration, overview):
    add(iteration, Action(name='=HYPERLINK("http://evil.example")'))
    services.save_module(iteration, BY_CODE["outlook"], fields={"next_steps": "+1 more"},
                         tables={}, base_version=0, by=None)  # fmt: skip
    book = workbook(selectors.overview(iteration))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]

    assert [c.data_type for c in cells if c.data_type == "f"] == []
    assert '\'=HYPERLINK("http://evil.example")' in [c.value for c in book["Actions"]["B"]]
    assert "'+1 more" in [c.value for c in book["Texts"]["C"]]


def test_xlsx_numbers_are_number_cells(overview):
    cells = workbook(overview)["Actions"]["O"][1:]  # reduction_buildings

    assert [(c.value, c.data_type) for c in cells] == [(161_600, "n"), (0, "n"), (0, "n")]


def test_xlsx_content_tables_keep_their_numbers(iteration, overview):
    row = {"field_of_action": "energy", "year": "2023", "budget": "1200000.50",
           "climate_share": "12.5", "capex": "", "opex": "", "source": "Budget"}  # fmt: skip
    services.save_module(iteration, BY_CODE["ip_a1"], fields={"notes": ""},
                         tables={"funding": [row]}, base_version=0, by=None)  # fmt: skip

    sheet = workbook(selectors.overview(iteration))["IP-A1 Climate spending by field"]

    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("Energy systems", 2023, 1200000.5, 12.5, None, None, "Budget")
    ]


def test_sheet_titles_are_short_unique_and_without_forbidden_characters():
    titles = exports.SheetTitles()

    assert [
        titles.unique("A/B: [draft]?"),
        titles.unique("a/b: [draft]?"),
        titles.unique("x" * 40),
        titles.unique("x" * 40),
    ] == ["A B   draft", "a b   draft (2)", "x" * 31, "x" * 27 + " (2)"]


def test_pdf_and_xlsx_agree_on_an_action_s_funding(iteration, overview):
    action = overview.parts.actions[0]
    services.save_part(iteration, action, base_version=action.version, by=None, fundings=[
        {"source": "eu_grant", "detail": "Horizon", "amount": Decimal(1_000), "secured": True}
    ])  # fmt: skip
    fresh = selectors.overview(iteration)

    funding = list(workbook(fresh)["Funding"].iter_rows(min_row=2, values_only=True))
    text = words(page_texts(exports.contract_document(fresh)))

    assert funding == [("District heating", "EU grant", "Horizon", 1000, "yes")]
    assert "EU grant – Horizon: €1,000 (secured)" in text
