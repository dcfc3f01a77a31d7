"""A result as CSV and PDF: what they hold, that no cell runs as a formula, that the PDF fetches
nothing, and who may download a saved result's."""

import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cityzero.finance import services
from cityzero.finance.models import FundingType
from tests.finance.conftest import RETROFIT, query

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


def export_url(fmt: str) -> str:
    return f"{reverse('finance:export', args=[fmt])}?{query(RETROFIT)}"


def test_the_csv_lists_the_ranked_types_then_the_excluded_ones(client, funding):
    response = client.get(export_url("csv"))
    assert response["Content-Disposition"] == 'attachment; filename="funding-options.csv"'
    rows = csv_rows(response)
    assert list(rows[0]) == ["rank", "status", "funding_type", "code", "category", "score", "why",
                             "pros", "cons", "project_types", "related_products",
                             "ticket_min_eur", "ticket_max_eur", "eligibility"]  # fmt: skip
    first = rows[0]
    assert (first["rank"], first["status"], first["code"]) == ("1", "recommended", "epc")
    assert first["ticket_min_eur"] == "200000" and first["ticket_max_eur"] == "20000000"
    assert "An ESCO finances the measures" in first["why"]
    assert first["pros"].startswith("Savings are guaranteed by contract | ")
    excluded = [row for row in rows if row["status"] == "excluded"]
    assert {row["code"] for row in excluded} == {"green-bond", "ppp"}
    assert all(row["rank"] == "" for row in excluded)


def test_no_csv_cell_runs_as_a_formula(client, funding):
    FundingType.objects.filter(code="epc").update(name="=HYPERLINK(\"http://evil\")",
                                                  pros="+1\n@SUM(A1)")  # fmt: skip
    FundingType.objects.first().save()  # drop the cached catalogue, as an admin edit would
    first = csv_rows(client.get(export_url("csv")))[0]
    assert first["funding_type"] == '\'=HYPERLINK("http://evil")'
    assert first["pros"] == "'+1 | @SUM(A1)"


def test_the_pdf_holds_the_answers_and_the_ranking(client, funding):
    response = client.get(export_url("pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Funding options for your project" in text
    assert "Municipal company" in text or "municipal company" in text
    assert "Energy performance contracting (ESCO)" in text
    assert "Ruled out for this project" in text


def test_the_pdf_fetches_nothing_a_text_names(client, funding, monkeypatch):
    FundingType.objects.filter(code="epc").update(
        summary='<img src="http://example.org/x.png">', pros='<img src="file:///etc/passwd">'
    )
    FundingType.objects.first().save()
    fetched = []
    monkeypatch.setattr("urllib.request.urlopen", lambda *a, **k: fetched.append(a))
    assert client.get(export_url("pdf")).status_code == 200
    assert fetched == []


def test_an_unknown_export_format_is_not_found(client, funding):
    url = f"{reverse('finance:export', args=['xlsx'])}?{query(RETROFIT)}"
    assert client.get(url).status_code == 404


def test_an_export_with_bad_answers_shows_the_questionnaire(client, funding):
    url = f"{reverse('finance:export', args=['csv'])}?{query({**RETROFIT, 'size': ['-1']})}"
    response = client.get(url)
    assert response.status_code == 422 and b"at least" in response.content


def test_a_saved_results_exports_are_its_readers_only(client, city, make_person, funding):
    saved = services.save_result(city, answers=RETROFIT, title="School retrofits",
                                 note="=cmd", public=False, by=None)  # fmt: skip
    csv_url = reverse("finance:export_saved", args=[saved.token, "csv"])
    pdf_url = reverse("finance:export_saved", args=[saved.token, "pdf"])
    assert client.get(csv_url).status_code == 404
    client.force_login(make_person("viewer"))
    response = client.get(csv_url)
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == 'attachment; filename="aachen-funding-options.csv"'
    assert csv_rows(response)[0]["code"] == "epc"
    text = pdf_text(client.get(pdf_url).content)
    assert "School retrofits" in text and "Aachen" in text and "=cmd" in text
