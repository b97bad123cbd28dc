"""One agency's own reference data, applied on top of the state's.

What holds for every agency is in ``chart_of_accounts/``; what one agency chose lives in
its *agency folder* (kept in the books as documents, see ``ledger init --agency``):

| file | what |
|---|---|
| ``agency.toml`` | the agency's facts and options: name, organisation number, its account numbers at Norges Bank (``[capital_accounts]``), presentation options (``[srs]``) |
| ``accounts.csv`` | its finer bookkeeping accounts (the columns of the state's ``accounts.csv``) |
| ``mapping_overrides.csv`` | rows that replace a state mapping row: ``statement,account_from,account_to,column,line_id,replaces,why,source``; ``replaces`` names the state row (``balanse:2630-2639``, or ``note_7b:2600-2699:mellomvaerende`` with its column) |
| ``grant_schemes.csv`` | note 9's schemes: ``statskonto,line_id,label,seed_line,source`` (default: one scheme per grant post of the year's catalogue) |
| ``projects.csv`` | note 3's projects under construction: ``line_id,label,seed_line,source`` (default: the ``project`` dimension's values) |
| ``asset_groups.csv`` | its asset groups, replacing the state's |
| ``layouts/statements.csv``, ``layouts/<name>.csv``, ``<name>_map.csv`` | statements of its own (e.g. specifications of note 5), each computed the way ``computed_by`` names |
| ``identities.csv`` | internal identities over its own statements |
| ``derived_columns.csv`` | columns of its own statements computed from other columns of the same line (table 4.3's *Endring*), the state table's columns |
| ``always_printed.csv`` | ``statement,line_id,why``: lines it prints even when zero in every column (others are left out, :mod:`ledger.export.printed`) |
| ``footnotes.csv`` | ``statement,anchor,column,marker,placement,text,source``: its own footnotes and texts (explanations of variances, *Forklaring til bruk av fullmakter*), added to the state's; one with a state row's statement, anchor, column and marker replaces it (:mod:`ledger.reference.printing`) |
| ``check_texts.csv`` | ``id,text,source``: its own identities' descriptions in Norwegian (the workbook's check sheet) |
| ``print_lines.csv`` | ``statement,line_id,account,blank,fill,source``: how its lines print, added to (or replacing) the state's rows |

:func:`apply_agency` returns the reference data with all of it applied and checked
again as a whole (every problem at once, :class:`~ledger.reference.tables.ChartError`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

import attrs

from ledger.core.problems import Problems
from ledger.reference.chart import load_asset_groups, load_chart
from ledger.reference.coverage import load_coverage_rules
from ledger.reference.identities import load_identities
from ledger.reference.layout import Layout, LayoutLine, load_line_units, read_layout
from ledger.reference.mapping import MappingRow, read_mapping_rows
from ledger.reference.printing import apply_agency_printing, check_printing
from ledger.reference.rules import load_derived_columns
from ledger.reference.tables import ChartError, read_text_table
from ledger.reference.validate import validate

AGENCY_FACTS = "agency.toml"
COMPUTED_BY = ("year_mapping", "konsulent")
"""How an agency's own statement is computed: ``year_mapping`` sums the year's lines (with
the close) onto the lines of its mapping, like note 5; ``konsulent`` is table 4.3."""


def is_agency_document(name: str) -> bool:
    """Whether a file of an agency folder is one of its documents (tables and facts)."""
    return name == AGENCY_FACTS or name.endswith(".csv")


def apply_agency(reference, files: Mapping[str, bytes]):
    """``reference`` (a :class:`~ledger.reference.bundle.ReferenceData`) with an agency's
    documents applied (``files``: name → content, names relative to the agency folder)."""
    problems = Problems()
    facts = _facts(files, problems)
    chart = reference.chart
    if "accounts.csv" in files:
        try:
            chart = load_chart(reference.data_dir, [("accounts.csv", files["accounts.csv"])])
        except ChartError as exc:
            problems.extend(exc.problems)
    layouts, computed_by = _layouts(reference, files, problems)
    mappings = _mappings(reference.mappings, files, problems)
    rows = dict(reference.rows)
    grant_schemes = dict(reference.grant_schemes)
    if "grant_schemes.csv" in files:
        schemes = list(read_text_table(files["grant_schemes.csv"], "grant_schemes.csv"))
        grant_schemes = {row["statskonto"]: row["line_id"] for _, row in schemes}
        rows["schemes:note_9"] = tuple(LayoutLine(row["line_id"], row["label"], "detail",
                                                  seed_line=row.get("seed_line", ""), source=row.get("source", ""))
                                       for _, row in schemes)
    if "projects.csv" in files:
        rows["projects"] = tuple(LayoutLine(row["line_id"], row["label"], "detail", seed_line=row.get("seed_line", ""),
                                            source=row.get("source", ""))
                                 for _, row in read_text_table(files["projects.csv"], "projects.csv"))
    asset_groups = reference.asset_groups
    if "asset_groups.csv" in files:
        asset_groups = _collect(problems, lambda: load_asset_groups(Path("asset_groups.csv"),
                                                                    files["asset_groups.csv"])) or asset_groups
    identities = reference.identities
    if "identities.csv" in files:
        identities = identities + (_collect(problems, lambda: load_identities(content=files["identities.csv"])) or ())
    coverage = reference.coverage_rules
    if "coverage.csv" in files:
        coverage = coverage + load_coverage_rules(Path("coverage.csv"), files["coverage.csv"])
    external = {k: dict(v) for k, v in reference.external_lines.items()}
    if "external_lines.csv" in files:
        for _, row in read_text_table(files["external_lines.csv"], "external_lines.csv"):
            external.setdefault(row["statement"], {})[row["line_id"]] = row.get("fed_by", "")
    parameters = {k: dict(v) for k, v in reference.parameters.items()}
    if "statement_parameters.csv" in files:
        for _, row in read_text_table(files["statement_parameters.csv"], "statement_parameters.csv"):
            parameters.setdefault(row["statement"], {})[row["parameter"]] = row["value"]
    derived = reference.derived_columns
    if "derived_columns.csv" in files:
        derived = derived + load_derived_columns(Path(), layouts, problems, files["derived_columns.csv"])
    always = _always_printed(reference, files, layouts, problems)
    printing = apply_agency_printing(reference.printing, files, problems)
    check_printing(printing, layouts, problems)
    problems.raise_if_any(ChartError.of)
    data = attrs.evolve(reference, always_printed=always, printing=printing, chart=chart, layouts=layouts, mappings=mappings, rows=rows,
                        grant_schemes=grant_schemes, asset_groups=asset_groups, identities=identities,
                        coverage_rules=coverage, external_lines=external, parameters=parameters, derived_columns=derived,
                        computed_by={**reference.computed_by, **computed_by}, agency={**reference.agency, **facts})
    validate(data, problems)
    problems.raise_if_any(ChartError.of)
    return data


def _always_printed(reference, files: Mapping[str, bytes], layouts: Mapping[str, Layout],
                    problems: Problems) -> dict[str, frozenset[str]]:
    """statement → line ids printed even when zero (``always_printed.csv``; each row says why)."""
    name = "always_printed.csv"
    found = {k: set(v) for k, v in reference.always_printed.items()}
    if name not in files:
        return {k: frozenset(v) for k, v in found.items()}
    for row_no, row in read_text_table(files[name], name):
        statement, line_id = row.get("statement", ""), row.get("line_id", "")
        if statement not in layouts:
            problems.add(name, row_no, "statement-unknown", f"no statement {statement!r}")
        elif not line_id.startswith("@") and line_id not in layouts[statement].line_ids \
                and not any(line.kind == "rows" for line in layouts[statement].lines):
            problems.add(name, row_no, "line-unknown", f"{statement} has no line {line_id!r}")
        elif not row.get("why"):
            problems.add(name, row_no, "why", "say why the line is printed when zero (column why)")
        else:
            found.setdefault(statement, set()).add(line_id)
    return {k: frozenset(v) for k, v in found.items()}


def _collect(problems: Problems, load):
    try:
        return load()
    except ChartError as exc:
        problems.extend(exc.problems)
        return None


def _facts(files: Mapping[str, bytes], problems: Problems) -> dict[str, object]:
    if AGENCY_FACTS not in files:
        return {}
    try:
        return tomllib.loads(files[AGENCY_FACTS].decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.add(AGENCY_FACTS, getattr(exc, "lineno", None), "toml", str(exc))
        return {}


def _layouts(reference, files: Mapping[str, bytes], problems: Problems) -> tuple[dict[str, Layout], dict[str, str]]:
    """The state's layouts with the agency's own added (or replacing one of the same name)."""
    layouts = dict(reference.layouts)
    computed_by: dict[str, str] = {}
    index = "layouts/statements.csv"
    if index not in files:
        return layouts, computed_by
    units = load_line_units(reference.data_dir)
    for row_no, row in read_text_table(files[index], index):
        name = row["statement"]
        path = f"layouts/{name}.csv"
        columns = tuple(c for c in row["columns"].split("|") if c)
        labels = tuple(row.get("column_labels", "").split("|")) if row.get("column_labels") else columns
        kind = row.get("computed_by", "")
        if kind not in COMPUTED_BY and name not in reference.layouts:
            problems.add(index, row_no, "computed-by", f"{name}: computed_by {kind!r} not in {COMPUTED_BY}")
            continue
        if path not in files or len(labels) != len(columns):
            problems.add(index, row_no, "layout", f"{name}: needs {path} and as many labels as columns")
            continue
        own_units = {line: unit for (statement, line), unit in units.items() if statement == name}
        layouts[name] = read_layout(Path(path), name, row.get("title", ""), columns, labels, own_units,
                                    float(row.get("order") or "inf"), problems, content=files[path])
        if kind:
            computed_by[name] = kind
    ordered = sorted(layouts.values(), key=lambda lay: lay.order)
    return {lay.statement: lay for lay in ordered}, computed_by


def _mappings(state: Mapping[str, tuple[MappingRow, ...]], files: Mapping[str, bytes],
              problems: Problems) -> dict[str, tuple[MappingRow, ...]]:
    """The state's mapping rows, with the agency's overrides applied and its own tables added."""
    mappings = {statement: list(rows) for statement, rows in state.items()}
    for name in sorted(n for n in files if n.endswith("_map.csv") and "/" not in n):
        for row in read_mapping_rows(Path(name), problems, content=files[name]):
            mappings.setdefault(row.statement, []).append(row)
    name = "mapping_overrides.csv"
    if name in files:
        for row_no, row in read_text_table(files[name], name):
            _override(mappings, row_no, row, problems)
    return {statement: tuple(rows) for statement, rows in mappings.items()}


def _override(mappings: dict[str, list[MappingRow]], row_no: int, row: Mapping[str, str], problems: Problems) -> None:
    """Apply one override: remove the state row it ``replaces`` (if it names one), add its own (if it has a line)."""
    name = "mapping_overrides.csv"
    if not row.get("why"):
        problems.add(name, row_no, "override-why", "say why the agency replaces the state's row (column why)")
    if row.get("replaces"):
        statement, _, rest = row["replaces"].partition(":")
        span, _, column = rest.partition(":")
        low, _, high = span.partition("-")
        old = [r for r in mappings.get(statement, ()) if (r.account_from, r.account_to) == (low, high or low)
               and (r.column or "") == column]
        if not old:
            problems.add(name, row_no, "override-unknown", f"replaces {row['replaces']!r}: no such state row")
            return
        mappings[statement] = [r for r in mappings[statement] if r not in old]
    if row.get("line_id"):
        lo, hi = row["account_from"], row.get("account_to") or row["account_from"]
        mappings.setdefault(row["statement"], []).append(MappingRow(
            row["statement"], lo, hi, row["line_id"], row.get("column") or None,
            f"{row.get('source', '')} ({'replaces ' + row['replaces'] if row.get('replaces') else 'added'}: "
            f"{row.get('why', '')})", name, row_no))
