"""Layout loading and validation, mapping validation, aggregation and the evaluator."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.reference.chart import Chart, load_chart
from ledger.reference.tables import ChartError
from ledger.export.chart_text import render_chart
from ledger.reference.layout import Layout, LayoutLine, evaluate, load_layouts, parse_sum, read_layout
from ledger.reference.mapping import (MappingRow, _rows_covering, aggregate, load_external_lines, load_mappings,
                                      validate_mapping)

HEADER = "line_id,label,kind,sum_of,sign,note_ref,seed_line\n"


def small_layout() -> Layout:
    """Income (credit, shown positive), two costs, sums of sums, a heading."""
    lines = (
        LayoutLine("h_income", "Income", "heading"),
        LayoutLine("income", "Income from appropriations", "detail", sign=-1),
        LayoutLine("h_costs", "Costs", "heading"),
        LayoutLine("pay", "Pay", "detail"),
        LayoutLine("other", "Other costs", "detail"),
        LayoutLine("refunds", "Refunds (-)", "detail"),
        LayoutLine("costs", "Sum costs", "sum", parse_sum("pay+other+refunds")),
        LayoutLine("result", "Result", "sum", parse_sum("income-costs")),
        LayoutLine("neg_result", "Result, opposite sign", "sum", parse_sum("result"), sign=-1),
    )
    return Layout("small", "Small", ("y1", "y0"), ("Year 1", "Year 0"), lines)


def test_parse_sum():
    assert parse_sum("a+b-c") == ((1, "a"), (1, "b"), (-1, "c"))
    assert parse_sum("-x") == ((-1, "x"),)
    assert parse_sum("0601.21+kk_innbetalinger") == ((1, "0601.21"), (1, "kk_innbetalinger"))


def test_evaluate_hand_computed():
    amounts = {("income", "y1"): -1000_00, ("pay", "y1"): 700_00, ("other", "y1"): 350_00,
               ("refunds", "y1"): -50_00, ("income", "y0"): -10}
    table = evaluate(small_layout(), amounts)
    assert list(table.columns) == ["line_id", "label", "kind", "note_ref", "y1", "y0"]
    assert table["y1"].dtype == "int64" and table["y0"].dtype == "int64"
    got = dict(zip(table["line_id"], zip(table["y1"], table["y0"])))
    assert got["income"] == (1000_00, 10)        # credit shown positive by sign -1
    assert got["refunds"] == (-50_00, 0)          # a credit on a cost line stays negative
    assert got["costs"] == (1000_00, 0)           # 700 + 350 - 50
    assert got["result"] == (0, 10)               # sum of a sum, with a minus term
    assert got["neg_result"] == (0, -10)          # sign on a sum line
    assert got["h_income"] == (0, 0) and got["h_costs"] == (0, 0)  # headings carry 0


def test_evaluate_rejects_amount_for_non_detail_line():
    with pytest.raises(ChartError, match="amount-unknown-line"):
        evaluate(small_layout(), {("costs", "y1"): 1})
    with pytest.raises(ChartError, match="amount-unknown-line"):
        evaluate(small_layout(), {("pay", "y9"): 1})


def _layout_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("body, rule", [
    ("a,A,detail,,1,,\na,A again,detail,,1,,\n", "line-id-duplicate"),
    ("a,A,detail,,1,,\ns,S,sum,a+zz,1,,\n", "sum-unknown-line"),
    ("a,A,sum,b,1,,\nb,B,sum,a,1,,\n", "sum-cycle"),
    ("s,S,sum,s,1,,\n", "sum-cycle"),
    ("h,H,heading,,1,,\ns,S,sum,h,1,,\n", "sum-of-heading"),
    ("a,A,total,,1,,\n", "kind"),
    ("a,A,detail,,2,,\n", "sign"),
    ("s,S,sum,,1,,\n", "sum-of"),
    ("a,A,detail,b,1,,\nb,B,detail,,1,,\n", "sum-of"),
    (",A,detail,,1,,\n", "line-id-empty"),
])
def test_layout_errors(tmp_path, body, rule):
    with pytest.raises(ChartError, match=rf"bad\.csv:\d+: \[{rule}\]"):
        read_layout(_layout_file(tmp_path, body), "bad")


def rows(*specs) -> tuple[MappingRow, ...]:
    return tuple(MappingRow("small", lo, hi, line, col, "test", "m.csv", n)
                 for n, (lo, hi, line, col) in enumerate(specs, start=2))


ACCOUNTS = {"3900", "5000", "5800", "6300", "6730"}
GOOD = (("3900", "3999", "income", None), ("5000", "5799", "pay", None), ("5800", "5899", "refunds", None),
        ("6000", "7999", "other", None))


def test_validate_mapping_good():
    validate_mapping(rows(*GOOD), small_layout(), ACCOUNTS)


@pytest.mark.parametrize("extra, rule", [
    (("6999", "6999", "other", None), "account-unknown"),
    (("6730", "6730", "pay", None), "account-on-two-lines"),
    (("6730", "6730", "nope", None), "line-unknown"),
    (("6730", "6730", "costs", None), "line-not-detail"),
    (("6730", "6730", "h_costs", None), "line-not-detail"),
    (("6730", "6730", "other", "y7"), "column-unknown"),
])
def test_validate_mapping_errors(extra, rule):
    with pytest.raises(ChartError, match=rf"m\.csv:\d+: \[{rule}\]"):
        validate_mapping(rows(*GOOD, extra), small_layout(), ACCOUNTS)


def test_validate_mapping_unfed_detail_line():
    with pytest.raises(ChartError, match=r"\[line-not-fed\] detail line 'refunds'"):
        validate_mapping(rows(*GOOD[:2], GOOD[3]), small_layout(), ACCOUNTS)
    validate_mapping(rows(*GOOD[:2], GOOD[3]), small_layout(), ACCOUNTS, external={"refunds"})


def test_column_specific_rows_may_differ_per_column():
    specific = rows(*GOOD, ("6730", "6730", "pay", "y0"))
    with pytest.raises(ChartError, match="account-on-two-lines"):
        validate_mapping(specific, small_layout(), ACCOUNTS)  # 6000-7999 feeds y0 too
    split = rows(*GOOD[:3], ("6000", "7999", "other", "y1"), ("6000", "7999", "pay", "y0"))
    validate_mapping(split, small_layout(), ACCOUNTS)


def test_aggregate_then_evaluate():
    tb = pd.DataFrame({"account": ["3900", "5000", "5000", "5800", "6300", "6730", "1930"],
                       "amount": [-1000, 600, 100, -50, 200, 150, 0]})
    amounts = aggregate(tb, rows(*GOOD), "y1")
    assert amounts == {("income", "y1"): -1000, ("pay", "y1"): 700, ("refunds", "y1"): -50,
                       ("other", "y1"): 350}
    assert evaluate(small_layout(), amounts).set_index("line_id").loc["result", "y1"] == 0
    aggregate(tb, rows(*GOOD), "y1", strict=True)  # 1930 is 0: tolerated
    tb.loc[len(tb)] = ["1940", 5]
    with pytest.raises(ChartError, match="account-unmapped"):
        aggregate(tb, rows(*GOOD), "y1", strict=True)


def test_mapping_range_matches_only_same_length_codes():
    row = rows(("100", "139", "other", None))[0]
    assert row.covers("104") and not row.covers("1040") and not row.covers("1985")


def test_packaged_layouts_load():
    layouts = load_layouts()
    assert {"resultat", "balanse", "artskonto", "mellomvaerende", "note_7b"} <= set(layouts)
    assert layouts["balanse"].columns == ("ub", "ib")


def test_render_chart():
    chart, layouts, mappings = load_chart(), load_layouts(), load_mappings()
    assert "1930     193   kk_in" in render_chart(chart, layouts, mappings)
    text = render_chart(chart, layouts, mappings, "mellomvaerende", load_external_lines(layouts))
    assert "<- 2630-2639" in text and "2630 Pensjonstrekk (2 %)" in text
    assert "= + fordringer_ansatte" in text
    text = render_chart(chart, layouts, mappings, "note_2", load_external_lines(layouts))
    assert "(fed from outside the account mapping)" in text


def test_chart_type_is_frozen():
    chart = load_chart()
    assert isinstance(chart, Chart)
    with pytest.raises(TypeError):
        chart.accounts["9999"] = None  # type: ignore[index]


@settings(max_examples=200, deadline=None)
@given(ranges=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 15), st.sampled_from([2, 3, 4])), max_size=12),
       accounts=st.sets(st.text("0123456789", min_size=1, max_size=5) | st.sampled_from(["", "12a", "0x1"]),
                         max_size=40))
def test_rows_covering_finds_what_covers_finds(ranges, accounts):
    # the bisect over sorted codes must agree with asking every row about every account
    rows = tuple(MappingRow("s", str(lo).zfill(width)[-width:], str(lo + span).zfill(width)[-width:]
                            if len(str(lo + span)) <= width else "9" * width, f"l{i}")
                 for i, (lo, span, width) in enumerate(ranges))
    rows = tuple(r for r in rows if r.account_from <= r.account_to)
    expected = {a: [r for r in rows if r.covers(a)] for a in sorted(accounts)}
    assert _rows_covering(rows, set(accounts)) == {a: found for a, found in expected.items() if found}
