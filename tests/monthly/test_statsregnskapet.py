"""`ledger report statsregnskapet` and `ledger reconcile statsregnskapet` on the three-month books,
the sums over the year against both cash reports (hand-computed, hypothesis, the 2024 example)."""

from __future__ import annotations

import csv
import io

import hypothesis.strategies as st
import pandas as pd
from hypothesis import HealthCheck, given, settings

from ledger.books.setup import reference_of
from ledger.books.store import Books
from ledger.core.period import Period
from ledger.export.statsregnskapet import render
from ledger.reconcile.statsregnskapet import differences, read_public_file
from ledger.reference.mapping import aggregate
from ledger.statements.artskonto import artskonto, artskonto_codes
from ledger.statements import base
from ledger.statements.bevilgning import bevilgning
from ledger.statements.loading import load_period
from ledger.statements.statsregnskapet import COLUMNS, report_lines, statsregnskapet
from tests.monthly.conftest import ORG, make_books
from tests.reliability.conftest import run
from tests.support.cash_books import REFERENCE, catalogue, kr, year_data

EXPECTED = [  # Periode, Post_id, Artskonto_id, Beløp as published
    ("202401", "067001", "500", "1000,000"), ("202401", "067001", "540", "141,000"),
    ("202401", "570072", "1986", "-141,000"), ("202402", "067160", "870", "1000,000"),
    ("202403", "067001", "500", "1000,000"), ("202403", "067001", "673", "100,000"),
    ("202403", "163301", "1987", "25,000"),
]


def _public_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("iso-8859-1")), delimiter=";"))


def test_the_public_file(three_months, tmp_path):
    out = tmp_path / "s.csv"
    result = run(three_months, "report", "statsregnskapet", "2024", "--out", out)
    assert result.exit_code == 0, result.output
    content = out.read_bytes()
    assert content.startswith('"År";"Periode";"Konto_no"'.encode("iso-8859-1"))
    rows = _public_rows(content)
    assert list(rows[0]) == list(COLUMNS)
    assert [(r["Periode"], r["Post_id"], r["Artskonto_id"], r["Beløp"]) for r in rows] == EXPECTED
    first = rows[0]
    assert (first["År"], first["Kapittel_id"], first["Virksomhet_id"], first["Regnskapsfører_id"]) == \
        ("2024", "0670", ORG, ORG)
    assert (first["Post_type"], first["Virksomhet"], first["Kontoklasse_id"], first["Kontogruppe_id"]) == \
        ("Utgifter til drift", "Testdirektoratet", "5", "50")
    assert first["Programområde_id"] == "" and first["Fagdepartement_id"] == ""
    assert content.count(b"\r\n") == len(rows) + 1 and b'"' + "Beløp".encode("iso-8859-1") in content


def test_one_month_and_the_csv_for_people(three_months):
    result = run(three_months, "report", "statsregnskapet", "2024", "--period", "2024-02", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["Periode"], r["Post_id"], r["Beløp"]) for r in rows] == [("202402", "067160", "1000.00")]
    wrong = run(three_months, "report", "statsregnskapet", "2024", "--period", "2023-02")
    assert wrong.exit_code == 1 and "give a month of 2024" in wrong.output


def test_no_organisation_number(tmp_path):
    books = make_books(tmp_path / "b.sqlite", tmp_path, agency=b'name = "T"\nshort_name = "T"\nyear = 2024\n')
    result = run(books, "report", "statsregnskapet", "2024")
    assert result.exit_code == 1
    assert "agency.toml: [org-number-missing]" in result.output and "org_number" in result.output
    assert "Traceback" not in result.output


def test_reconcile_finds_nothing_then_the_changed_line(three_months, tmp_path):
    out = tmp_path / "s.csv"
    assert run(three_months, "report", "statsregnskapet", "2024", "--out", out).exit_code == 0
    same = run(three_months, "reconcile", "statsregnskapet", out)
    assert same.exit_code == 0, same.output
    assert "7 month × statskonto × artskonto sums" in same.output and "nothing differs" in same.output
    text = out.read_bytes().decode("iso-8859-1").replace('"100,000"', '"90,000"')
    other = text.splitlines()[1].replace(ORG, "971032081")  # another agency's row is ignored
    out.write_bytes((text + other + "\r\n").encode("iso-8859-1"))
    changed = run(three_months, "reconcile", "statsregnskapet", out, "--year", "2024")
    assert changed.exit_code == 1
    lines = [line.split() for line in changed.output.splitlines()]
    assert ["202403", "0670.01", "673", "100.00", "90.00", "10.00"] in lines
    assert ["202403", "0670.01", "1100.00", "1090.00", "10.00"] in lines
    assert "1 difference(s)" in changed.output


def test_reconcile_names_a_bad_row(three_months, tmp_path):
    out = tmp_path / "s.csv"
    assert run(three_months, "report", "statsregnskapet", "2024", "--out", out).exit_code == 0
    out.write_bytes(out.read_bytes().replace(b'"141,000"', b'"141,005"'))
    result = run(three_months, "reconcile", "statsregnskapet", out)
    assert result.exit_code == 1
    assert "s.csv:3: [amount] Beløp '141,005'" in result.output


def _sums_agree(data) -> None:
    """The year's rows summed per statskonto equal the appropriation report's regnskap, and per
    artskonto line the artskonto report's figures, to the øre."""
    rows = report_lines(data)
    bev = bevilgning(data).set_index("line_id")
    per_post = rows.groupby("statskonto")["amount"].sum()
    for post in data.budget:
        # regnskap is presented debit positive on expense posts, credit positive on income posts
        assert int(bev.loc[post.statskonto, "regnskap"]) * (1 if post.side == "expense" else -1) == \
            int(per_post.get(post.statskonto, 0)), post.statskonto
    lay = data.layouts["artskonto"]
    column = base.year_columns(data, lay)[0]
    by_code = rows.rename(columns={"artskonto": "account"})[["account", "amount"]]
    from_rows = aggregate(by_code, data.mappings["artskonto"], column, strict=True)
    arts = artskonto(data).set_index("line_id")
    for (line_id, _), amount in from_rows.items():
        sign = next(line.sign for line in lay.lines if line.line_id == line_id)
        assert int(arts.loc[line_id, column]) == sign * amount, line_id
    assert int(rows["amount"].sum()) == int(bev.loc["netto_rapportert", "regnskap"])
    assert int(rows["amount"].sum()) == int(arts.loc["netto_rapportert", column])


def test_sums_agree_on_the_three_months(three_months):
    with Books.open(three_months) as books:
        data = load_period(books, Period(2024), reference_of(books, REFERENCE), every_line=True)
    _sums_agree(data)


PATTERNS = [  # (account, statskonto, artskonto) of the reported line; the counterpart is KK ut
    ("5000", "0670.01", None), ("6730", "0670.01", None), ("2400", "0670.01", "673"), ("8700", "0671.60", None),
    ("2400", "1633.01", None), ("1280", "0671.45", None)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATTERNS), st.integers(1, 12), st.integers(-10**9, 10**9)),
                min_size=1, max_size=12))
def test_sums_agree_on_small_books(vouchers):
    rows = []
    for number, ((account, statskonto, code), month, ore) in enumerate(vouchers):
        date = f"2024-{month:02d}-15"
        rows.append({"kind": "journal", "voucher": f"V{number}", "date": date, "year": 2024, "account": account,
                     "amount": ore, "statskonto": statskonto, "artskonto": code})
        rows.append({"kind": "journal", "voucher": f"V{number}", "date": date, "year": 2024, "account": "1940",
                     "amount": -ore, "statskonto": None, "artskonto": None})
    lines = pd.DataFrame(rows).astype({"amount": "int64"})
    posts = {"0670.01": ("expense", "drift", False, "own"), "0671.60": ("expense", "overforing", True, "own"),
             "0671.45": ("expense", "investering", True, "own"), "1633.01": ("expense", "drift", False,
                                                                             "felleskapittel")}
    data = year_data(lines, "0670.01,0,1000,0,,0,0,,0,0\n", budget=catalogue(posts))
    data = type(data)(**{**{f: getattr(data, f) for f in ("year", "lines", "reference", "budget", "appropriations",
                                                          "comparatives")}, "agency": {"org_number": ORG}})
    _sums_agree(data)
    # the public file read back gives the same sums (the round trip the reconciliation relies on)
    content = render(statsregnskapet(data))
    assert differences(data, read_public_file(content, "s.csv", ORG, 2024)).ok
    # and every month of the file sums to that month's reported lines
    months = report_lines(data).groupby("periode")["amount"].sum()
    for periode, amount in months.items():
        in_month = lines[(lines["date"].str[:7] == f"{periode[:4]}-{periode[4:]}") & lines["statskonto"].notna()]
        assert int(in_month["amount"].sum()) == int(amount)
    assert set(artskonto_codes(data, base.reported(data)).str[:1]) <= {"1", "2", "5", "6", "8"}


def test_the_2024_example(imdi_2024, tmp_path):
    out = tmp_path / "s.csv"
    written = run(imdi_2024, "report", "statsregnskapet", "2024", "--out", out)
    assert written.exit_code == 0, written.output
    rows = _public_rows(out.read_bytes())
    assert {r["Periode"] for r in rows} == {f"2024{m:02d}" for m in range(1, 13)}
    per_post: dict[str, int] = {}
    for r in rows:
        kroner, decimals = r["Beløp"].lstrip("-").split(",")
        ore = (int(kroner) * 100 + int(decimals[:2])) * (-1 if r["Beløp"].startswith("-") else 1)
        per_post[r["Post_id"]] = per_post.get(r["Post_id"], 0) + ore
    # the published appropriation report's regnskap (fixtures/2024/published/bevilgning.csv), whole kroner
    assert round(per_post["067001"] / 100) == 388_810_162
    assert round(per_post["067160"] / 100) == 21_504_528_524
    assert round(per_post["163301"] / 100) == 43_854_693
    assert round(-per_post["570072"] / 100) == 28_456_151
    assert run(imdi_2024, "check", "2024-12").exit_code == 0
    assert run(imdi_2024, "reconcile", "statsregnskapet", out).exit_code == 0
    with Books.open(imdi_2024) as books:
        data = load_period(books, Period(2024), reference_of(books, REFERENCE), every_line=True)
    _sums_agree(data)
