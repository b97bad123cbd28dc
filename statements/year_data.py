"""What every statement is computed from: the posted lines of a year, its inputs and the reference data.

:class:`YearData` is built by :func:`ledger.statements.loading.load_year` from the books;
the statements of this package are pure functions of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import attrs
import pandas as pd

from ledger.reference.budget import BudgetCatalogue, BudgetPost
from ledger.reference.bundle import ReferenceData
from ledger.reference.chart import AssetGroup, Chart
from ledger.reference.layout import Layout, LayoutLine, expand_rows
from ledger.reference.mapping import MappingRow


@attrs.frozen(eq=False)
class YearData:
    """The books of one year and its inputs, as the statements see them.

    ``lines``: the posted lines of the year (see :meth:`ledger.books.store.Books.lines`),
    ``amount`` int64 øre, debit positive.  Usually compacted
    (:meth:`ledger.books.store.Books.compact_lines`): only the vouchers touching the
    accounts of ``whole_vouchers.csv`` are there line by line; other lines are summed
    (empty ``voucher``), so a statement may group by voucher only on those accounts.
    ``appropriations``: one row per statskonto, amounts in øre.  ``comparatives``: last
    year's closed figures (``statement, line_id, column, amount, unit``; money in øre).
    ``reference``: the chart, layouts, mappings and rules (the books' own chart).
    ``prior``: last year's statement tables when last year is closed in the books (the
    comparatives are then made from them); ``prior_appropriations``: last year's
    appropriations when the books hold them.  ``whole_ranges``: the account ranges whose
    vouchers were read whole when ``lines`` is compacted (a statement that needs others
    raises :class:`ledger.statements.base.VouchersNotWhole`); None when every line is there.
    """

    year: int
    lines: pd.DataFrame
    reference: ReferenceData
    budget: BudgetCatalogue | None
    appropriations: pd.DataFrame
    agency: Mapping[str, object]
    comparatives: pd.DataFrame
    prior: Mapping[str, pd.DataFrame] | None = None
    prior_appropriations: pd.DataFrame | None = None
    # the account ranges whose vouchers ``lines`` holds line by line; None: every line is there
    whole_ranges: tuple[tuple[str, str], ...] | None = None
    # the layouts of this year, in the publication's order: labels rendered for the year
    layouts: Mapping[str, Layout] = attrs.field(
        default=attrs.Factory(lambda self: year_layouts(self.reference, self.year, self.budget, self.lines),
                              takes_self=True))

    @property
    def chart(self) -> Chart:
        """The books' chart."""
        return self.reference.chart

    @property
    def mappings(self) -> Mapping[str, tuple[MappingRow, ...]]:
        """The account mappings by statement."""
        return self.reference.mappings

    @property
    def asset_groups(self) -> Mapping[str, AssetGroup]:
        """The fixed-asset groups of notes 3 and 4 by name."""
        return self.reference.asset_groups


def year_layouts(reference: ReferenceData, year: int, budget: BudgetCatalogue | None,
                 lines: pd.DataFrame | None = None) -> dict[str, Layout]:
    """The reference layouts made for ``year``: the rows of the year's budget catalogue in the
    appropriation report and Notes A and B, note 9's schemes and note 3's projects, ``{aar}``
    in titles and labels rendered."""
    rows = year_rows(budget, reference, lines)
    return {name: expand_rows(layout, rows).for_year(year) for name, layout in reference.layouts.items()}


def default_schemes(budget: BudgetCatalogue | None) -> list[BudgetPost]:
    """Note 9's schemes when the agency names none: each own grant post (post group 50-89) of the catalogue."""
    return [p for p in (budget or ()) if p.side == "expense" and p.relation == "own" and p.post_group == "overforing"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold().replace("ø", "o").replace("æ", "ae").replace("å", "a")).strip("_")


def default_projects(reference: ReferenceData, lines: pd.DataFrame | None) -> list[LayoutLine]:
    """Note 3's projects when the agency names none: the values of the ``project`` dimension on the
    accounts of intangibles under construction, each its own line."""
    if lines is None or lines.empty or "dims" not in lines:
        return []
    groups = {g for g, a in reference.asset_groups.items()
              if a.column == reference.parameters.get("note_3_prosjekter", {}).get("under_construction_column")}
    accounts = {c for c, a in reference.chart.accounts.items() if a.asset_group in groups}
    dimension = reference.parameters.get("note_3_prosjekter", {}).get("project_dimension", "project")
    values = sorted({json.loads(d).get(dimension, "") for d in lines.loc[lines["account"].isin(accounts), "dims"]
                     if isinstance(d, str) and d} - {""})
    return [LayoutLine(_slug(value), value, "detail") for value in values]


def year_rows(budget: BudgetCatalogue | None, reference: ReferenceData,
              lines: pd.DataFrame | None = None) -> dict[str, list[LayoutLine]]:
    """The lines each ``rows`` source stands for in ``year``: the catalogue's posts (by side; Note A's
    own expense posts; Note B's posts), note 9's grant schemes and note 3's projects (the agency's,
    else from the catalogue and the books)."""
    posts = tuple(budget) if budget is not None else ()
    rules = budget.note_b if budget is not None and budget.note_b is not None else reference.note_b_rules
    in_note_b = rules.in_note_b

    def numbered(post: BudgetPost, stikkord: bool = False) -> str:
        return f"{post.chapter} {post.post}" + (' "kan overføres"' if stikkord and post.kan_overfores else "")

    return {
        "posts:expense": [LayoutLine(p.statskonto, p.post_text, "detail", sign=1,
                                     note_ref="A, B" if in_note_b(p) else "A") for p in posts if p.side == "expense"],
        "posts:income": [LayoutLine(p.statskonto, p.post_text, "detail", sign=-1) for p in posts if p.side == "income"],
        "posts:note_a": [LayoutLine(p.statskonto, numbered(p), "detail") for p in posts
                         if p.side == "expense" and p.relation == "own"],
        "posts:note_b": [LayoutLine(p.statskonto, numbered(p, stikkord=True), "detail") for p in posts if in_note_b(p)],
        "schemes:note_9": list(reference.rows.get("schemes:note_9", ())) or [
            LayoutLine(p.statskonto, p.post_text, "detail") for p in default_schemes(budget)],
        "projects": list(reference.rows.get("projects", ())) or default_projects(reference, lines),
    }
