"""Month-to-date figures of the three-month books, computed by hand (conftest)."""

from __future__ import annotations

from ledger.books.setup import reference_of
from ledger.books.store import Books
from ledger.core.period import Period, parse_period
from ledger.reference.bundle import load_reference
from ledger.statements.artskonto import artskonto
from ledger.statements.bevilgning import bevilgning
from ledger.statements.loading import load_period
from tests.reliability.conftest import run
from tests.support.cash_books import figures

STATE = load_reference()


def _bevilgning(path, period: Period) -> dict:
    with Books.open(path) as books:
        data = load_period(books, period, reference_of(books, STATE))
    return figures(bevilgning(data))


def test_year_to_date_and_month_only(three_months):
    feb = _bevilgning(three_months, parse_period("2024-02"))
    assert feb[("0670.01", "regnskap")] == 114_100  # 1 000 + 141 (January)
    assert feb[("0671.60", "regnskap")] == 100_000
    assert feb[("1633.01", "regnskap")] == 0
    assert feb[("netto_rapportert", "regnskap")] == 214_100 - 14_100  # 5700.72 income 141
    march_alone = _bevilgning(three_months, parse_period("2024-03", month_only=True))
    assert march_alone[("0670.01", "regnskap")] == 110_000  # 100 + 1 000
    assert march_alone[("0671.60", "regnskap")] == 0
    assert march_alone[("1633.01", "regnskap")] == 2_500
    march = _bevilgning(three_months, parse_period("2024-03"))
    assert march[("0670.01", "regnskap")] == 224_100
    assert march[("0670.01", "samlet_tildeling")] == 1_000_000  # the year's allotment in every month


def test_december_year_to_date_is_the_year(three_months):
    assert _bevilgning(three_months, parse_period("2024-12")) == _bevilgning(three_months, Period(2024))


def test_artskonto_month_only(three_months):
    with Books.open(three_months) as books:
        data = load_period(books, parse_period("2024-01", month_only=True), reference_of(books, STATE))
    table = figures(artskonto(data))
    assert table[("utbetalinger_lonn", "aar")] == 114_100  # pay 1 000 + employer's tax 141
    assert table[("netto_rapportert", "aar")] == 100_000  # less 5700.72 141


def test_balance_of_a_month(three_months):
    text = run(three_months, "balance", "2024-03", "--month-only", "--by", "statskonto", "--format", "csv").output
    assert "0670.01" in text and "1100.00" in text and "25.00" in text and "-1125.00" in text
    assert "0671.60" not in text
    ytd = run(three_months, "balance", "2024-02", "--by", "statskonto", "--format", "csv").output
    assert "1141.00" in ytd and "0671.60" in ytd and "1633.01" not in ytd


def test_show_and_explain_a_month(three_months):
    shown = run(three_months, "show", "bevilgning", "2024-02")
    assert shown.exit_code == 0, shown.output
    assert "2024-02 (year to date: 2024-01-01 to 2024-02-29)" in shown.output
    explained = run(three_months, "explain", "2024-03", "bevilgning", "0670.01", "regnskap", "--month-only",
                    "--vouchers")
    assert explained.exit_code == 0, explained.output
    assert "1 100 kr" in explained.output and "B1" in explained.output and "L1" not in explained.output


def test_year_end_statements_refused_for_a_month(three_months):
    for words in (["resultat"], ["note", "3"], ["balanse"]):
        result = run(three_months, "show", *words, "2024-03")
        assert result.exit_code == 1
        assert "exists only at year end" in result.output and "Traceback" not in result.output
    result = run(three_months, "explain", "2024-03", "resultat", "lonnskostnader")
    assert result.exit_code == 1 and "only at year end" in result.output


def test_a_bad_period_is_a_message(three_months):
    for period in ("2024-13", "24-03", "2024-3"):
        result = run(three_months, "balance", period)
        assert result.exit_code == 1
        assert ("period" in result.output or "month" in result.output) and "Traceback" not in result.output
