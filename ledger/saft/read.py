"""Reading SAF-T Financial files into batches (streaming, validated, refused whole).

:func:`parse_saft` validates a file against the schema its header names and
stream-parses it (``iterparse``, each account and transaction cleared once read)
into a :class:`SaftFile`.  :func:`to_batches` turns that into an ``opening``
batch (the accounts' opening balances) and a ``journal`` batch (each
``Transaction`` a voucher, each ``Line`` a line), plus the violations that refuse
the file and the closing-balance findings.  :func:`read_saft` does both.

Amounts: ``DebitAmount`` is +, ``CreditAmount`` −, in øre (exact, via ``Decimal``).
``Analysis`` elements become the line's dimensions (``dims``, keyed by
``AnalysisType``), except the types chosen to carry the statskonto and artskonto.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import attrs
import pandas as pd
from lxml import etree

from ledger.journal.batch import LINE_COLUMNS, Batch
from ledger.core.money import MAX_BOOKS_ORE, MoneyError, format_decimal, format_kroner, parse_amount
from ledger.core.records import BatchKind, SourceLocation, Violation
from ledger.saft.schema import SaftFormatError, iterparse, local, read_header, refuse_doctype, validate

STATSKONTO_ANALYSIS = "STATSKONT"
ARTSKONTO_ANALYSIS = "ARTSKONTO"
STATE_GROUPING = "KS"  # GroupingCategory of the state's standard chart
SUSPENSE_NAME = "Differanse inngående balanse (SAF-T-import)"
OPENING_TEXT = "Inngående balanse"
INT64_MAX = 2**63 - 1
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$")
# Elements kept whole until they end (small records); everything at depth <= 4
# outside them is cleared as soon as it ends.
_KEEP_WHOLE = {"Header"}


@attrs.frozen
class SaftAccount:
    """A general-ledger account of the file: id, name, grouping, balances (øre, debit +)."""

    id: str
    name: str
    grouping_category: str | None
    grouping_code: str | None
    opening: int
    closing: int | None
    line: int

    @property
    def ks_code(self) -> str | None:
        """The state-chart (KS) grouping code, if the account has one."""
        return self.grouping_code if self.grouping_category == STATE_GROUPING and self.grouping_code else None


@attrs.frozen
class SaftFile:
    """What was read from a valid SAF-T file.

    ``lines`` has one row per transaction line: ``voucher, date, account, amount,
    text, analyses`` (a tuple of ``(type, id)``), ``src_line``.  Control totals as
    stated in ``GeneralLedgerEntries`` (``None`` when the file has no entries).
    """

    source: str
    sha256: str
    version: str
    company: str
    start: dt.date
    end: dt.date
    accounts: tuple[SaftAccount, ...]
    lines: pd.DataFrame
    number_of_entries: int | None
    total_debit: int | None
    total_credit: int | None
    transactions: int
    problems: tuple[Violation, ...] = ()


@attrs.frozen
class ClosingFinding:
    """An account whose stated closing balance is not opening + movements (øre)."""

    account: str
    stated: int
    computed: int

    def __str__(self) -> str:
        return (f"account {self.account}: stated closing balance {format_decimal(self.stated)}, "
                f"opening + movements {format_decimal(self.computed)} "
                f"(difference {format_decimal(self.stated - self.computed)})")


@attrs.frozen
class SaftOptions:
    """How a SAF-T file becomes batches.

    ``opening_suspense``: account that takes the difference of unbalanced opening
    balances (else they refuse the file).  ``statskonto_analysis`` /
    ``artskonto_analysis``: the ``AnalysisType`` that carries the statskonto /
    artskonto.  ``strict``: closing-balance findings refuse the file.
    ``account_map``: file account id → books account (accounts not in it are kept).
    """

    opening_suspense: str | None = None
    statskonto_analysis: str | None = STATSKONTO_ANALYSIS
    artskonto_analysis: str | None = ARTSKONTO_ANALYSIS
    strict: bool = False
    account_map: Mapping[str, str] = attrs.field(factory=dict)


def read_saft(path: Path | str, options: SaftOptions | None = None
              ) -> tuple[list[Batch], list[Violation], list[ClosingFinding]]:
    """Read a SAF-T file: ``(batches, violations, findings)``; any violation refuses the file."""
    try:
        saft = parse_saft(path)
    except SaftFormatError as exc:
        return [], format_violations(str(path), exc), []
    return to_batches(saft, options or SaftOptions())


def format_violations(source: str, exc: SaftFormatError) -> list[Violation]:
    """The problems of a :class:`SaftFormatError` as violations of ``source``."""
    return [Violation("saft-format", msg, source=SourceLocation(source, line)) for line, msg in exc.problems]


def parse_saft(path: Path | str) -> SaftFile:
    """Validate and stream-parse ``path``; raise :class:`SaftFormatError` if it is not valid SAF-T."""
    path = Path(path)
    try:
        digest = _sha256(path)
    except OSError as exc:
        raise SaftFormatError([(0, f"cannot read: {exc.strerror or exc}")]) from None
    header = read_header(path)
    validate(path, header.schema_version)
    reader = _Reader(str(path))
    try:
        reader.run(path)
    except (etree.LxmlError, ValueError, OSError) as exc:
        line = getattr(exc, "lineno", 0) or 0
        raise SaftFormatError([(line if isinstance(line, int) else 0, getattr(exc, "msg", str(exc)))]) from None
    return reader.result(digest, header.schema_version)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _Reader:
    """The streaming pass: collects header facts, accounts, transaction lines."""

    def __init__(self, source: str):
        self.source = source
        self.company = ""
        self.period: dict[str, str] = {}
        self.accounts: list[SaftAccount] = []
        self.rows: dict[str, list] = {k: [] for k in ("voucher", "date", "account", "amount", "text",
                                                       "analyses", "src_line")}
        self.totals: dict[str, str] = {}
        self.transactions = 0
        self.problems: list[Violation] = []
        self.seen: dict[str, int] = {}
        self.account_lines: dict[str, int] = {}

    def problem(self, rule: str, message: str, line: int, voucher: str | None = None) -> None:
        self.problems.append(Violation(rule, message, voucher, SourceLocation(self.source, line)))

    def run(self, path: Path) -> None:
        depth, keep, first = 0, 0, True
        for event, element in iterparse(path):
            if event == "start":
                if first:
                    refuse_doctype(element)
                    first = False
                depth += 1
                keep += local(element.tag) in _KEEP_WHOLE
                continue
            name = local(element.tag)
            depth -= 1
            self.handle(name, element, depth)
            if name in _KEEP_WHOLE:
                keep -= 1
            if depth <= 3 and not keep and depth > 0:
                element.clear(keep_tail=True)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]

    def handle(self, name: str, element, depth: int) -> None:
        parent = local(element.getparent().tag) if element.getparent() is not None else ""
        if name == "Header":
            self.company = _text(element, "Company/Name")
            for child in element.iterfind("{*}SelectionCriteria/*"):
                self.period[local(child.tag)] = (child.text or "").strip()
        elif name == "Account" and parent == "GeneralLedgerAccounts":
            self.account(element)
        elif name in ("NumberOfEntries", "TotalDebit", "TotalCredit") and parent == "GeneralLedgerEntries":
            self.totals[name] = (element.text or "").strip()
        elif name == "Transaction" and parent == "Journal":
            self.transaction(element)

    def account(self, element) -> None:
        line = element.sourceline or 0
        opening = self.amount(element, ("OpeningDebitBalance", "OpeningCreditBalance"), line, None)
        closing = self.amount(element, ("ClosingDebitBalance", "ClosingCreditBalance"), line, None)
        code = _text(element, "AccountID")
        if not code or code in self.account_lines:
            self.problem("account-id", f"account {code} is defined twice (also at line "
                         f"{self.account_lines[code]})" if code else "empty AccountID", line)
        self.account_lines.setdefault(code, line)
        self.accounts.append(SaftAccount(
            code, _text(element, "AccountDescription"),
            _text(element, "GroupingCategory") or None, _text(element, "GroupingCode") or None,
            opening or 0, closing, line))

    def transaction(self, element) -> None:
        self.transactions += 1
        voucher = _text(element, "TransactionID")
        line = element.sourceline or 0
        if voucher in self.seen:
            self.problem("transaction-duplicate", f"transaction {voucher} appears twice "
                         f"(also at line {self.seen[voucher]})", line, voucher)
        self.seen.setdefault(voucher, line)
        date = _text(element, "TransactionDate")
        for item in element.iterfind("{*}Line"):
            item_line = item.sourceline or 0
            amount = self.amount(item, ("DebitAmount/{*}Amount", "CreditAmount/{*}Amount"), item_line, voucher)
            analyses = tuple((_text(a, "AnalysisType"), _text(a, "AnalysisID"))
                             for a in item.iterfind("{*}Analysis"))
            for key, value in (("voucher", voucher), ("date", date), ("account", _text(item, "AccountID")),
                               ("amount", amount or 0), ("text", _raw_text(item, "Description")),
                               ("analyses", analyses), ("src_line", item_line)):
                self.rows[key].append(value)

    def amount(self, element, paths: tuple[str, str], line: int, voucher: str | None) -> int | None:
        """Debit (first path) positive, credit (second) negative; None when neither is there."""
        for sign, sub in zip((1, -1), paths):
            found = element.find("{*}" + sub)
            if found is not None:
                text = (found.text or "").strip()
                try:
                    return sign * parse_amount(Decimal(text))
                except (ArithmeticError, MoneyError):
                    self.problem("amount", f"{sub.split('/')[0]} {text!r} is not an amount in øre",
                                 found.sourceline or line, voucher)
                    return 0
        return None

    def result(self, digest: str, version: str) -> SaftFile:
        lines = pd.DataFrame(self.rows).astype({"amount": object, "src_line": "int64"})
        start, end = self.selection(lines)
        return SaftFile(self.source, digest, version, self.company, start, end, tuple(self.accounts),
                        lines, _int(self.totals.get("NumberOfEntries")), _ore(self.totals.get("TotalDebit")),
                        _ore(self.totals.get("TotalCredit")), self.transactions, tuple(self.problems))

    def selection(self, lines: pd.DataFrame) -> tuple[dt.date, dt.date]:
        """The selection period (SelectionStartDate/-EndDate or periods as months)."""
        p = self.period
        try:
            if "SelectionStartDate" in p:
                return _date(p["SelectionStartDate"]), _date(p["SelectionEndDate"])
            start = dt.date(int(p["PeriodStartYear"]), min(max(int(p["PeriodStart"]), 1), 12), 1)
            end_month = min(max(int(p["PeriodEnd"]), 1), 12)
            end_year = int(p["PeriodEndYear"])
            following = dt.date(end_year + end_month // 12, end_month % 12 + 1, 1)
            return start, following - dt.timedelta(days=1)
        except (KeyError, ValueError):
            # SelectionCriteria without a period: the year of the earliest transaction.
            dates = sorted(d for d in (_safe_date(x) for x in lines["date"]) if d is not None)
            year = dates[0].year if dates else dt.date.today().year
            if not p and not dates:
                self.problem("selection", "the header has no selection period", 0)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _text(element, path: str) -> str:
    found = element.find("{*}" + path.replace("/", "/{*}"))
    return (found.text or "").strip() if found is not None else ""


def _raw_text(element, path: str) -> str:
    found = element.find("{*}" + path)
    return (found.text or "") if found is not None else ""


def _int(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() else None


def _ore(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return parse_amount(Decimal(text))
    except (ArithmeticError, MoneyError):
        return None


def _date(text: str) -> dt.date:
    match = _DATE_RE.match(text.strip())
    if not match:
        raise ValueError(f"not a date: {text!r}")
    return dt.date(*map(int, match.groups()))


def _safe_date(text: str) -> dt.date | None:
    try:
        return _date(text)
    except ValueError:
        return None


# -- batches ---------------------------------------------------------------

def to_batches(saft: SaftFile, options: SaftOptions
               ) -> tuple[list[Batch], list[Violation], list[ClosingFinding]]:
    """The opening and journal batches of ``saft``, the violations, the closing findings."""
    where = SourceLocation(saft.source, 0)
    violations = list(saft.problems)
    lines = saft.lines
    violations += _control_totals(saft, where)
    journal, found = _journal_lines(saft, options)
    violations += found
    opening, found = _opening_lines(saft, options, set(lines["voucher"]))
    violations += found
    every = [int(a) for a in journal["amount"]] + [int(a) for a in opening["amount"]]
    if sum(abs(a) for a in every) > MAX_BOOKS_ORE:
        violations.append(Violation("amount-bound", "the file's absolute amounts sum past the bound of the "
                                    f"books ({format_kroner(MAX_BOOKS_ORE)} kr)", source=where))
    findings = closing_findings(saft)
    if options.strict:
        violations += [Violation("closing-balance", str(f), source=where) for f in findings]
    if violations:
        return [], sorted(violations, key=_order), findings
    batches = []
    if len(opening):
        batches.append(_batch(saft, opening, BatchKind.OPENING))
    if len(journal):
        batches.append(_batch(saft, journal, BatchKind.JOURNAL))
    return batches, [], findings


def _order(v: Violation) -> tuple[int, str]:
    return (v.source.line if v.source else 0, v.rule)


def _control_totals(saft: SaftFile, where: SourceLocation) -> list[Violation]:
    if saft.number_of_entries is None and saft.transactions == 0:
        return []
    amounts = [int(a) for a in saft.lines["amount"]]
    debit, credit = sum(a for a in amounts if a > 0), -sum(a for a in amounts if a < 0)
    found = []
    for name, stated, actual, show in (
        ("NumberOfEntries", saft.number_of_entries, saft.transactions, str),
        ("TotalDebit", saft.total_debit, debit, format_decimal),
        ("TotalCredit", saft.total_credit, credit, format_decimal),
    ):
        if stated != actual:
            stated_text = "nothing readable" if stated is None else show(stated)
            found.append(Violation("control-total", f"{name} states {stated_text} but the entries "
                                   f"give {show(actual)}", source=where))
    return found


def _journal_lines(saft: SaftFile, options: SaftOptions) -> tuple[pd.DataFrame, list[Violation]]:
    raw = saft.lines
    found: list[Violation] = []
    statskonto, artskonto, dims, years, dates = [], [], [], [], []
    for row in raw.itertuples(index=False):
        where = SourceLocation(saft.source, int(row.src_line))
        values: dict[str, str] = {}
        for kind, value in row.analyses:
            if kind in values:
                found.append(Violation("analysis-duplicate", f"analysis type {kind!r} appears twice on "
                                       "the line (split analyses are not supported)", row.voucher, where))
            values[kind] = value
        statskonto.append(values.pop(options.statskonto_analysis, None) or None)
        artskonto.append(values.pop(options.artskonto_analysis, None) or None)
        dims.append(json.dumps(values, ensure_ascii=False, sort_keys=True))
        date = _safe_date(row.date)
        if date is None:
            found.append(Violation("date", f"TransactionDate {row.date!r} is not a date", row.voucher, where))
        dates.append(date.isoformat() if date else "")
        years.append(date.year if date else 0)
    frame = pd.DataFrame({
        "voucher": raw["voucher"].astype(object), "date": pd.Series(dates, dtype=object),
        "year": pd.Series(years, dtype="int64"),
        "account": raw["account"].map(lambda a: options.account_map.get(a, a)).astype(object),
        "amount": raw["amount"].astype("int64") if len(raw) and _fits(raw["amount"]) else
        pd.Series([0] * len(raw), dtype="int64"),
        "statskonto": pd.Series(statskonto, dtype=object), "artskonto": pd.Series(artskonto, dtype=object),
        "text": raw["text"].astype(object), "dims": pd.Series(dims, dtype=object),
        "src_line": raw["src_line"].astype("int64"),
    }, columns=list(LINE_COLUMNS))
    found += _unbalanced(saft)
    return frame, found


def _fits(amounts: pd.Series) -> bool:
    return all(-INT64_MAX <= int(a) <= INT64_MAX for a in amounts)


def _unbalanced(saft: SaftFile) -> list[Violation]:
    totals: dict[str, int] = {}
    first: dict[str, int] = {}
    for voucher, amount, line in zip(saft.lines["voucher"], saft.lines["amount"], saft.lines["src_line"]):
        totals[voucher] = totals.get(voucher, 0) + int(amount)
        first.setdefault(voucher, int(line))
    return [Violation("transaction-balance", f"transaction {v} does not balance: debit − credit = "
                      f"{format_decimal(t)}", v, SourceLocation(saft.source, first[v]))
            for v, t in totals.items() if t != 0]


def _opening_lines(saft: SaftFile, options: SaftOptions, vouchers: set[str]
                   ) -> tuple[pd.DataFrame, list[Violation]]:
    voucher = f"IB-{saft.start.isoformat()}"
    while voucher in vouchers:
        voucher += "-saft"
    rows = [(options.account_map.get(a.id, a.id), a.opening, OPENING_TEXT, a.line)
            for a in saft.accounts if a.opening != 0]
    difference = sum(r[1] for r in rows)
    found = []
    if difference != 0:
        if options.opening_suspense:
            rows.append((options.opening_suspense, -difference, SUSPENSE_NAME, 0))
        else:
            debit = sum(r[1] for r in rows if r[1] > 0)
            found.append(Violation(
                "opening-balance", f"the opening balances do not balance: debit {format_decimal(debit)}, "
                f"credit {format_decimal(debit - difference)}, difference {format_decimal(difference)}; "
                "give --opening-suspense ACCOUNT to post the difference there", voucher,
                SourceLocation(saft.source, 0)))
    frame = pd.DataFrame({
        "voucher": [voucher] * len(rows), "date": [saft.start.isoformat()] * len(rows),
        "year": pd.Series([saft.start.year] * len(rows), dtype="int64"),
        "account": [r[0] for r in rows],
        "amount": pd.Series([r[1] if abs(r[1]) <= INT64_MAX else 0 for r in rows], dtype="int64"),
        "statskonto": [None] * len(rows), "artskonto": [None] * len(rows),
        "text": [r[2] for r in rows], "dims": ["{}"] * len(rows),
        "src_line": pd.Series([r[3] for r in rows], dtype="int64"),
    }, columns=list(LINE_COLUMNS)).astype({"statskonto": object, "artskonto": object})
    return frame, found


def closing_findings(saft: SaftFile) -> list[ClosingFinding]:
    """Accounts whose stated closing balance ≠ opening + the file's movements."""
    movements: dict[str, int] = {}
    for account, amount in zip(saft.lines["account"], saft.lines["amount"]):
        movements[account] = movements.get(account, 0) + int(amount)
    return [ClosingFinding(a.id, a.closing, a.opening + movements.get(a.id, 0))
            for a in saft.accounts
            if a.closing is not None and a.closing != a.opening + movements.get(a.id, 0)]


def _batch(saft: SaftFile, lines: pd.DataFrame, kind: str) -> Batch:
    digest = hashlib.sha256(f"{saft.sha256}:saft:{kind}".encode()).hexdigest()
    return Batch(saft.source, digest, lines.reset_index(drop=True), kind)
