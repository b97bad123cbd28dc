"""The reference data as one value: chart, layouts, mappings and rules, loaded once.

:func:`load_reference` reads every table of the state's reference data (the packaged
``chart_of_accounts/`` by default), validates them against each other and returns a
:class:`ReferenceData`.  Every problem of every table is reported at once
(:class:`~ledger.reference.tables.ChartError`).  The close and the statements are
handed this value; nothing below the CLI reads a reference table itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from ledger.core.problems import Problems
from ledger.reference.budget import NoteBRules, PostGroup, load_note_b_rules, load_post_groups
from ledger.reference.chart import ROLES, AssetGroup, Chart, load_asset_groups, load_chart
from ledger.reference.coverage import load_coverage_rules
from ledger.reference.validate import validate
from ledger.reference.identities import Identity, load_identities
from ledger.reference.monthly import MonthlyRules, load_monthly_rules
from ledger.reference.layout import Layout, load_layouts, publication_order
from ledger.reference.printing import Printing, check_printing, load_printing
from ledger.reference.mapping import (MappingRow, Mappings, accounts_on, load_external_lines, load_mappings,
                                      validate_mapping)
from ledger.reference.rules import (AccountClasses, CarryRule, CloseRule, Note7AItem, load_account_classes,
                                    load_by_statement, load_carry_rules, load_close_rules, load_keyed,
                                    load_derived_columns, load_key_figures, load_note_7a_items, load_whole_voucher_accounts)
from ledger.reference.tables import ChartError, resolve_data_dir


@attrs.frozen(eq=False)
class ReferenceData:
    """Everything the close and the statements know besides the books and the year's inputs.

    ``layouts`` in the publication's order; ``mappings`` by statement; ``external_lines``
    statement → {line_id: what feeds it}; ``capital_lines`` statement → {line_id: role};
    ``rollforward`` event → line id; ``parameters`` statement → {parameter: value};
    ``grant_schemes`` statskonto → its note 9 line (an agency's; by default each grant post
    of the year's catalogue is its own scheme);
    ``post_groups`` and ``note_b_rules`` read each year's budget catalogue;
    ``derived_columns`` the columns computed from other columns of the same line
    (``derived_columns.csv``); ``key_figures`` the key figures' formulas (``key_figures.csv``).
    """

    chart: Chart
    layouts: Mapping[str, Layout]
    mappings: Mappings
    external_lines: Mapping[str, Mapping[str, str]]
    asset_groups: Mapping[str, AssetGroup]
    common_chapters: Mapping[str, str]
    grant_schemes: Mapping[str, str]
    whole_vouchers: tuple[tuple[str, str], ...]
    account_classes: AccountClasses
    close_rules: tuple[CloseRule, ...]
    carry_rules: tuple[CarryRule, ...]
    note_7a_items: tuple[Note7AItem, ...]
    capital_lines: Mapping[str, Mapping[str, str]]
    rollforward: Mapping[str, str]
    parameters: Mapping[str, Mapping[str, str]]
    identities: tuple[Identity, ...]
    note_b_rules: NoteBRules
    post_groups: tuple[PostGroup, ...]
    data_dir: Path
    coverage_rules: tuple = ()
    derived_columns: tuple = ()
    key_figures: tuple = ()
    # filled by an agency's folder (ledger.reference.agency): lines of `rows` placeholders by
    # source, how its own statements are computed, its facts and options
    rows: Mapping[str, tuple] = attrs.field(factory=dict)
    computed_by: Mapping[str, str] = attrs.field(factory=dict)
    agency: Mapping[str, object] = attrs.field(factory=dict)
    # statement → the line ids the agency prints even when zero (its always_printed.csv)
    always_printed: Mapping[str, frozenset[str]] = attrs.field(factory=dict)
    # monthly reporting: the checks before submission, allowed combinations, month statements
    monthly: MonthlyRules = attrs.field(factory=MonthlyRules)
    # how the workbook prints the statements: headers, print lines, footnotes (ledger.reference.printing)
    printing: Printing = attrs.field(factory=Printing)

    def layout(self, name: str) -> Layout:
        """The layout ``name`` (KeyError if none)."""
        return self.layouts[name]

    def parameter(self, statement: str, name: str) -> str:
        """A scalar parameter of a statement (``statement_parameters.csv``); KeyError if none."""
        return self.parameters[statement][name]

    def derived(self, statement: str, line_id: str, column: str):
        """The ``derived_columns.csv`` rule giving ``column`` of ``line_id`` (a row naming the line
        before one for every line), or None."""
        rules = [r for r in self.derived_columns if r.statement == statement and r.column == column
                 and r.applies_to(line_id)]
        return max(rules, key=lambda r: bool(r.line_id), default=None)

    def line_accounts(self, mapping: str, line_id: str) -> frozenset[str]:
        """The chart's accounts that the mapping of ``mapping`` puts on ``line_id``."""
        return accounts_on(self.mappings.get(mapping, ()), line_id, self.chart.accounts)

    def with_chart(self, chart: Chart) -> ReferenceData:
        """The same data with another chart (the books' own)."""
        return attrs.evolve(self, chart=chart)

    def with_agency(self, files: Mapping[str, bytes]) -> ReferenceData:
        """The same data with an agency's own documents applied (:mod:`ledger.reference.agency`)."""
        from ledger.reference.agency import apply_agency

        return apply_agency(self, files) if files else self


def load_reference(data_dir: str | Path | None = None, extra_accounts: Iterable[Path] = ()) -> ReferenceData:
    """Load and validate the reference data of ``data_dir`` (default: the packaged state data).

    Every table is read even when an earlier one is broken, so that one
    :class:`~ledger.reference.tables.ChartError` lists every problem.
    """
    folder = resolve_data_dir(data_dir)
    problems = Problems()
    chart = _collect(problems, lambda: load_chart(folder, extra_accounts))
    layouts = _collect(problems, lambda: load_layouts(folder)) or {}
    tables = dict(
        mappings=_collect(problems, lambda: load_mappings(folder)) or {},
        identities=_collect(problems, lambda: load_identities(folder)) or (),
        note_b_rules=_collect(problems, lambda: load_note_b_rules(folder)),
        external_lines=load_external_lines(layouts, folder, problems),
        asset_groups=_collect(problems, lambda: load_asset_groups(folder / "asset_groups.csv")) or {},
        common_chapters={k[0]: v for k, v in load_keyed(folder / "common_chapters.csv", ("chapter",),
                                                        "account").items()},
        grant_schemes={},
        whole_vouchers=load_whole_voucher_accounts(folder, problems),
        account_classes=load_account_classes(folder, problems),
        close_rules=load_close_rules(folder, ROLES, problems),
        carry_rules=load_carry_rules(folder, problems),
        note_7a_items=load_note_7a_items(folder, problems),
        capital_lines=load_by_statement(folder / "capital_lines.csv", "line_id", "role"),
        rollforward={k[0]: v for k, v in load_keyed(folder / "rollforward_lines.csv", ("event",),
                                                    "line_id").items()},
        parameters=load_by_statement(folder / "statement_parameters.csv", "parameter", "value"),
        post_groups=load_post_groups(folder),
        coverage_rules=load_coverage_rules(folder / "coverage.csv"),
        monthly=load_monthly_rules(folder, problems),
        printing=load_printing(folder, problems),
        derived_columns=load_derived_columns(folder, layouts, problems),
        key_figures=load_key_figures(folder, problems, layouts),
    )
    if chart is None or tables["note_b_rules"] is None:
        problems.raise_if_any(ChartError.of)
    data = ReferenceData(chart=chart, layouts={lay.statement: lay for lay in publication_order(layouts)},
                         data_dir=folder, **tables)
    validate(data, problems)
    check_printing(data.printing, data.layouts, problems)
    problems.raise_if_any(ChartError.of)
    return data


def _collect(problems: Problems, load):
    try:
        return load()
    except ChartError as exc:
        problems.extend(exc.problems)
        return None


def check_chart(chart: Chart, reference: ReferenceData) -> list[str]:
    """Problems of ``reference`` with ``chart`` in place of its own (``ledger chart`` on books)."""
    problems = Problems()
    validate(reference.with_chart(chart), problems)
    return [str(p) for p in problems.found]


__all__ = ["ReferenceData", "load_reference", "validate", "check_chart", "MappingRow"]
