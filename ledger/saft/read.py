"""Reading SAF-T Financial files into batches (streaming, validated, refused whole).

:func:`parse_saft` checks the file's bytes against its XML declaration
(:mod:`ledger.saft.encoding`), validates it against the schema its header names,
and stream-parses it into a :class:`SaftFile`: ``iterparse`` reports only the
records (accounts, transactions, customers …), and each is cleared, with the
records before it, once read, so the parser holds one record at a time whatever
the size of the file.  :func:`to_batches` turns the result into an ``opening``
batch (the accounts' opening balances) and a ``journal`` batch (each
``Transaction`` a voucher, each ``Line`` a line, or one line per share when its
analyses split it: :mod:`ledger.saft.split`), plus the violations that refuse
the file and the closing-balance findings.  :func:`read_saft` does both.

Amounts: ``DebitAmount`` is +, ``CreditAmount`` −, in øre (exact, via ``Decimal``).
``Analysis`` elements become the line's dimensions (``dims``, keyed by
``AnalysisType``), except the types chosen to carry the statskonto and artskonto.
Every line posted from a SAF-T ``Line`` keeps that element's line in the file as
its ``src_line`` (the shares of a split line share it), and the ``SaftFile``
keeps its ``RecordID``: a posted line leads back to the element it came from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from array import array
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import attrs
import numpy as np
import pandas as pd
from lxml import etree

from ledger.core.money import MAX_BOOKS_ORE, MoneyError, format_decimal, format_kroner, parse_amount
from ledger.core.records import BatchKind, SourceLocation, Violation
from ledger.journal.batch import LINE_COLUMNS, Batch
from ledger.saft.encoding import EncodingMismatch, digest_checked
from ledger.saft.schema import (NAMESPACE, SaftFormatError, diagnose, is_valid, iterparse, load_schema, local,
                                read_header, refuse_doctype)
from ledger.saft.split import LineAmount, Share, SplitProblem, split_line

STATSKONTO_ANALYSIS = "STATSKONT"
ARTSKONTO_ANALYSIS = "ARTSKONTO"
STATE_GROUPING = "KS"  # GroupingCategory of the state's standard chart
SUSPENSE_NAME = "Differanse inngående balanse (SAF-T-import)"
OPENING_TEXT = "Inngående balanse"
INT64_MAX = 2**63 - 1
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$")


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

    ``lines`` has one row per line to post: ``voucher, date, account, amount, text,
    analyses`` (a tuple of ``(type, id)``), ``src_line`` (the ``Line`` element's
    line) and ``record`` (its ``RecordID``); a split line gives one row per share,
    each with the line's ``src_line`` and ``record``.  Control totals as stated in
    ``GeneralLedgerEntries`` (``None`` when the file has no entries); ``debit`` and
    ``credit`` are what the file's lines sum to (øre), ``line_elements`` how many
    ``Line`` elements it has.  ``problems`` are what the
    reading found (unbalanced transactions, split analyses that do not add up …).
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
    debit: int = 0
    credit: int = 0
    line_elements: int = 0


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
    return [Violation(exc.rule, msg, source=SourceLocation(source, line)) for line, msg in exc.problems]


def parse_saft(path: Path | str) -> SaftFile:
    """Check, validate and stream-parse ``path``; raise :class:`SaftFormatError` if it is not valid SAF-_TAG.

    Schema validation runs in a second thread while this one reads: libxml2
    validates without the GIL, so on two cores a file takes about as long as its
    validation alone.  What was read counts only once the file proved valid.
    """
    path = Path(path)
    try:
        digest = digest_checked(path)
    except OSError as exc:
        raise SaftFormatError([(0, f"cannot read: {exc.strerror or exc}")]) from None
    except EncodingMismatch as exc:
        raise SaftFormatError([(exc.line, str(exc))], rule="encoding") from None
    version = read_header(path).schema_version
    load_schema(version)  # loaded here, used by the validating thread
    reader = _Reader(str(path))
    with ThreadPoolExecutor(max_workers=1) as pool:
        valid = pool.submit(is_valid, path, version)
        try:
            reader.run(path)
            failure = None
        except (etree.LxmlError, ValueError, OSError) as exc:
            failure = exc
        except Exception:
            if valid.result():
                raise
            failure = None  # an invalid file can upset the reader; the schema says why
        if not valid.result():
            raise SaftFormatError(diagnose(path, version))
    if failure is not None:
        line = getattr(failure, "lineno", 0) or 0
        raise SaftFormatError([(line if isinstance(line, int) else 0, getattr(failure, "msg", str(failure)))])
    return reader.result(digest, version)


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


_TAG = SimpleNamespace(**{name: _q(name) for name in (
    "Header", "Account", "GeneralLedgerAccounts", "GeneralLedgerEntries", "Journal", "Transaction", "Line",
    "NumberOfEntries", "TotalDebit", "TotalCredit", "TransactionID", "TransactionDate", "RecordID",
    "AccountID", "Analysis", "AnalysisType", "AnalysisID", "AnalysisAmount", "DebitAnalysisAmount",
    "CreditAnalysisAmount", "Description", "DebitAmount", "CreditAmount", "Amount", "CurrencyCode",
    "CurrencyAmount")})
# The records that repeat by the thousand; each is cleared, and its earlier siblings
# removed, once read, so that the tree holds no more of them than libxml2 has read ahead.
_RECORDS = {_q(name) for name in (
    "Account", "Customer", "Supplier", "TaxTableEntry", "UOMTableEntry", "AnalysisTypeTableEntry",
    "MovementTypeTableEntry", "Product", "PhysicalStockEntry", "Owner", "Asset", "Transaction",
    "Invoice", "Payment", "StockMovement", "AssetTransaction")}
_TOTALS = {_TAG.NumberOfEntries, _TAG.TotalDebit, _TAG.TotalCredit}
# What the reader is told of: the records, and the few singletons it reads.
_EVENTS = tuple(sorted(_RECORDS | _TOTALS | {_TAG.Header}))
_SIDES = {_TAG.DebitAmount: 1, _TAG.CreditAmount: -1}
_SHARE_SIDES = {_TAG.AnalysisAmount: 0, _TAG.DebitAnalysisAmount: 1, _TAG.CreditAnalysisAmount: -1}


def _release(element) -> None:
    """Free a record once read: its content, and the siblings read before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    while element.getprevious() is not None:
        del parent[0]


class _Columns:
    """The posted lines as columns; repeated values (dates, accounts, analyses) stored once."""

    NAMES = ("voucher", "date", "account", "amount", "text", "analyses", "src_line", "record")

    def __init__(self):
        self.values: dict[str, list] = {name: [] for name in self.NAMES if name not in ("amount", "src_line")}
        self.amount = array("q")
        self.src_line = array("q")
        self._shared: dict = {}

    def shared(self, value):
        """One object per distinct value (a column of a million dates holds a few strings)."""
        return self._shared.setdefault(value, value)

    def add(self, voucher: str, date: str, account: str, amount: int, text: str, analyses: tuple,
            src_line: int, record: str) -> None:
        """Append one posted line."""
        v = self.values
        v["voucher"].append(voucher)
        v["date"].append(date)
        v["account"].append(self.shared(account))
        v["text"].append(text)
        v["analyses"].append(self.shared(analyses))
        v["record"].append(record)
        self.amount.append(amount)
        self.src_line.append(src_line)

    def frame(self) -> pd.DataFrame:
        """The columns as a DataFrame (each list freed once it is copied)."""
        columns = {}
        for name in self.NAMES:
            if name in ("amount", "src_line"):
                columns[name] = np.frombuffer(getattr(self, name), dtype="int64").copy()
            else:
                column = self.values.pop(name)
                columns[name] = pd.Series(column, dtype=object)
                del column
        return pd.DataFrame(columns, columns=list(self.NAMES), copy=False)


class _Reader:
    """The streaming pass: header facts, accounts, and each transaction's lines, split by analyses."""

    def __init__(self, source: str):
        self.source = source
        self.company = ""
        self.currency = ""
        self.period: dict[str, str] = {}
        self.accounts: list[SaftAccount] = []
        self.lines = _Columns()
        self.totals: dict[str, str] = {}
        self.transactions = 0
        self.debit = self.credit = self.magnitude = self.line_elements = 0
        self.problems: list[Violation] = []
        self.seen: dict[str, int] = {}
        self.account_lines: dict[str, int] = {}

    def problem(self, rule: str, message: str, line: int, voucher: str | None = None) -> None:
        self.problems.append(Violation(rule, message, voucher, SourceLocation(self.source, line)))

    def run(self, path: Path) -> None:
        """Read the file, record by record."""
        first = True
        for _event, element in iterparse(path, events=("end",), tag=_EVENTS):
            if first:
                refuse_doctype(element)
                first = False
            tag = element.tag
            parent = element.getparent()
            within = parent.tag if parent is not None else ""
            if tag == _TAG.Transaction and within == _TAG.Journal:
                self.transaction(element)
            elif tag == _TAG.Account and within == _TAG.GeneralLedgerAccounts:
                self.account(element)
            elif tag == _TAG.Header:
                self.header(element)
            elif within == _TAG.GeneralLedgerEntries and tag in _TOTALS:
                self.totals[local(tag)] = (element.text or "").strip()
            if tag in _RECORDS:
                _release(element)

    def header(self, element) -> None:
        self.company = _text(element, "Company/Name")
        self.currency = _text(element, "DefaultCurrencyCode")
        for child in element.iterfind("{*}SelectionCriteria/*"):
            self.period[local(child.tag)] = (child.text or "").strip()

    def account(self, element) -> None:
        line = element.sourceline or 0
        opening = self.balance(element, ("OpeningDebitBalance", "OpeningCreditBalance"), line)
        closing = self.balance(element, ("ClosingDebitBalance", "ClosingCreditBalance"), line)
        code = _text(element, "AccountID")
        if not code or code in self.account_lines:
            self.problem("account-id", f"account {code} is defined twice (also at line "
                         f"{self.account_lines[code]})" if code else "empty AccountID", line)
        self.account_lines.setdefault(code, line)
        self.magnitude += abs(opening or 0)
        self.accounts.append(SaftAccount(
            code, _text(element, "AccountDescription"),
            _text(element, "GroupingCategory") or None, _text(element, "GroupingCode") or None,
            opening or 0, closing, line))

    def balance(self, element, tags: tuple[str, str], line: int) -> int | None:
        """An account balance (debit tag +, credit tag −), None when neither is there."""
        for sign, tag in zip((1, -1), tags):
            found = element.find(_q(tag))
            if found is not None:
                return sign * self.ore(found.text, tag, found.sourceline or line, None)
        return None

    def ore(self, text: str | None, tag: str, line: int, voucher: str | None) -> int:
        """An amount in øre (0 and a problem when it is none, or too large for the books)."""
        text = (text or "").strip()
        try:
            ore = parse_amount(Decimal(text))
        except (ArithmeticError, MoneyError):
            self.problem("amount", f"{_named(tag)} {text!r} is not an amount in øre", line, voucher)
            return 0
        if abs(ore) > MAX_BOOKS_ORE:
            self.problem("amount-bound", f"{_named(tag)} {text} is beyond the bound of the books "
                         f"({format_kroner(MAX_BOOKS_ORE)} kr)", line, voucher)
            return 0
        return ore

    def transaction(self, element) -> None:
        self.transactions += 1
        voucher = date = ""
        lines = []
        for child in element:  # one pass over the children, in schema order
            tag = child.tag
            if tag == _TAG.Line:
                lines.append(child)
            elif tag == _TAG.TransactionID:
                voucher = (child.text or "").strip()
            elif tag == _TAG.TransactionDate:
                date = self.lines.shared((child.text or "").strip())
        line = element.sourceline or 0
        if voucher in self.seen:
            self.problem("transaction-duplicate", f"transaction {voucher} appears twice "
                         f"(also at line {self.seen[voucher]})", line, voucher)
        self.seen.setdefault(voucher, line)
        balance = sum(self.line(item, voucher, date) for item in lines)
        if balance:
            self.problem("transaction-balance", f"transaction {voucher} does not balance: debit − credit = "
                         f"{format_decimal(balance)}", line, voucher)

    def line(self, item, voucher: str, date: str) -> int:
        """Read one ``Line`` into its posted lines; return its amount (øre, debit +)."""
        where = item.sourceline or 0
        record = account = text = ""
        amount, side = LineAmount(0), 1
        shares: list[tuple[str, str, int, LineAmount | None]] = []
        for child in item:
            tag = child.tag
            if tag == _TAG.Analysis:
                shares.append(self.analysis(child, where, voucher))
            elif tag in _SIDES:
                side = _SIDES[tag]
                amount = self.money(child, side, where, voucher, tag)
            elif tag == _TAG.AccountID:
                account = (child.text or "").strip()
            elif tag == _TAG.RecordID:
                record = (child.text or "").strip()
            elif tag == _TAG.Description:
                text = child.text or ""
        self.line_elements += 1
        self.debit += max(amount.amount, 0)
        self.credit += max(-amount.amount, 0)
        split = split_line([_share(s, side) for s in shares], amount) if shares else [((), amount.amount)]
        if isinstance(split, SplitProblem):
            self.problem(split.rule, f"RecordID {record or '?'} (account {account}): {split.message}", where,
                         voucher)
            split = [((), amount.amount)]
        for analyses, share in split:
            self.magnitude += abs(share)
            self.lines.add(voucher, date, account, share, text, analyses, where, record)
        return amount.amount

    def analysis(self, element, where: int, voucher: str) -> tuple[str, str, int, LineAmount | None]:
        """``(type, id, side, money)`` of an ``Analysis``; side 0 is the line's (1.10's AnalysisAmount)."""
        kind = ident = ""
        side, money = 0, None
        for child in element:
            tag = child.tag
            if tag == _TAG.AnalysisType:
                kind = (child.text or "").strip()
            elif tag == _TAG.AnalysisID:
                ident = (child.text or "").strip()
            elif tag in _SHARE_SIDES:
                side = _SHARE_SIDES[tag]
                money = self.money(child, 1, where, voucher, tag)
        return kind, ident, side, money

    def money(self, element, sign: int, where: int, voucher: str, tag: str) -> LineAmount:
        """An ``AmountStructure``: the amount (times ``sign``), and its foreign currency if any."""
        amount, currency, foreign = 0, None, None
        for child in element:
            if child.tag == _TAG.Amount:
                amount = sign * self.ore(child.text, tag, child.sourceline or where, voucher)
            elif child.tag == _TAG.CurrencyCode:
                currency = (child.text or "").strip()
            elif child.tag == _TAG.CurrencyAmount:
                foreign = sign * self.ore(child.text, tag + "/CurrencyAmount", child.sourceline or where, voucher)
        if currency == self.currency:  # the default currency written out: no foreign amount
            currency, foreign = None, None
        return LineAmount(amount, currency, foreign)

    def result(self, digest: str, version: str) -> SaftFile:
        """What was read, as a :class:`SaftFile`."""
        dates = set(self.lines.values["date"])
        lines = self.lines.frame()
        if self.magnitude > MAX_BOOKS_ORE:
            self.problem("amount-bound", "the file's absolute amounts sum past the bound of the books "
                         f"({format_kroner(MAX_BOOKS_ORE)} kr)", 0)
        start, end = self.selection(dates)
        return SaftFile(self.source, digest, version, self.company, start, end, tuple(self.accounts),
                        lines, _int(self.totals.get("NumberOfEntries")), _ore(self.totals.get("TotalDebit")),
                        _ore(self.totals.get("TotalCredit")), self.transactions, tuple(self.problems),
                        self.debit, self.credit, self.line_elements)

    def selection(self, dates: set[str]) -> tuple[dt.date, dt.date]:
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
            found = sorted(d for d in (_safe_date(x) for x in dates) if d is not None)
            year = found[0].year if found else dt.date.today().year
            if not p and not found:
                self.problem("selection", "the header has no selection period", 0)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _named(tag: str) -> str:
    """``{ns}DebitAmount/CurrencyAmount`` → ``DebitAmount/CurrencyAmount`` (for messages)."""
    return "/".join(local(part) for part in tag.split("/"))


def _share(found: tuple[str, str, int, LineAmount | None], line_sign: int) -> Share:
    """A :class:`Share` with its sign: its own side (1.30), else the line's (1.10)."""
    kind, ident, side, money = found
    if money is None:
        return Share(kind, ident)
    sign = side or line_sign
    return Share(kind, ident, sign * money.amount, money.currency,
                 None if money.currency_amount is None else sign * money.currency_amount)


def _text(element, path: str) -> str:
    found = element.find("{*}" + path.replace("/", "/{*}"))
    return (found.text or "").strip() if found is not None else ""


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
    """The opening and journal batches of ``saft``, the violations, the closing findings.

    Violations come once each (the same finding twice is reported once), in file order.
    """
    where = SourceLocation(saft.source, 0)
    violations = list(saft.problems)
    violations += _control_totals(saft, where)
    journal, found = _journal_lines(saft, options)
    violations += found
    opening, found = _opening_lines(saft, options, set(saft.lines["voucher"].unique()))
    violations += found
    findings = closing_findings(saft)
    if options.strict:
        violations += [Violation("closing-balance", str(f), source=where) for f in findings]
    if violations:
        return [], sorted(dict.fromkeys(violations), key=_order), findings
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
    found = []
    for name, stated, actual, show in (
        ("NumberOfEntries", saft.number_of_entries, saft.transactions, str),
        ("TotalDebit", saft.total_debit, saft.debit, format_decimal),
        ("TotalCredit", saft.total_credit, saft.credit, format_decimal),
    ):
        if stated != actual:
            stated_text = "nothing readable" if stated is None else show(stated)
            found.append(Violation("control-total", f"{name} states {stated_text} but the entries "
                                   f"give {show(actual)}", source=where))
    return found


def _journal_lines(saft: SaftFile, options: SaftOptions) -> tuple[pd.DataFrame, list[Violation]]:
    """The journal batch's line table; each distinct date and set of analyses is worked out once.

    Text columns stay ``object`` columns of the parsed strings (built with numpy, not
    ``Series.map``, which in pandas 3 would make Arrow strings): posting turns every
    cell into a Python object anyway, and shared objects cost a pointer a cell.
    """
    raw = saft.lines
    found: list[Violation] = []
    dates = {text: _safe_date(text) for text in set(raw["date"])}
    for text in sorted(t for t, date in dates.items() if date is None):
        first = int(np.argmax(raw["date"].to_numpy() == text))
        found.append(Violation("date", f"TransactionDate {text!r} is not a date", raw["voucher"].iat[first],
                               SourceLocation(saft.source, int(raw["src_line"].iat[first]))))
    iso = {text: date.isoformat() if date else "" for text, date in dates.items()}
    years = {text: date.year if date else 0 for text, date in dates.items()}
    codes, distinct = pd.factorize(raw["analyses"].to_numpy(), sort=False)
    coded = [_coded(analyses, options) for analyses in distinct]
    accounts = options.account_map
    frame = pd.DataFrame({
        "voucher": raw["voucher"], "date": _objects(iso[d] for d in raw["date"]),
        "year": np.fromiter((years[d] for d in raw["date"]), dtype="int64", count=len(raw)),
        "account": _objects(accounts.get(a, a) for a in raw["account"]),
        "amount": raw["amount"].astype("int64"),
        "statskonto": _take(coded, codes, 0), "artskonto": _take(coded, codes, 1),
        "text": raw["text"], "dims": _take(coded, codes, 2), "src_line": raw["src_line"].astype("int64"),
    }, columns=list(LINE_COLUMNS), copy=False)  # the columns of ``raw`` it shares are not copied
    return frame, found


def _objects(values) -> pd.Series:
    """An ``object`` Series of ``values`` (the same objects, no inference)."""
    return pd.Series(list(values), dtype=object)


def _coded(analyses: tuple[tuple[str, str], ...], options: SaftOptions) -> tuple[str | None, str | None, str]:
    """A line's ``(statskonto, artskonto, dims JSON)`` from its analyses."""
    values = dict(analyses)
    statskonto = values.pop(options.statskonto_analysis, None) or None
    artskonto = values.pop(options.artskonto_analysis, None) or None
    return statskonto, artskonto, json.dumps(values, ensure_ascii=False, sort_keys=True)


def _take(coded: list[tuple], codes: np.ndarray, position: int) -> pd.Series:
    values = np.array([c[position] for c in coded] + [None], dtype=object)
    return pd.Series(values[codes], dtype=object)


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
    movements = saft.lines.groupby("account", sort=False)["amount"].sum()
    found = []
    for a in saft.accounts:
        computed = a.opening + int(movements.get(a.id, 0))
        if a.closing is not None and a.closing != computed:
            found.append(ClosingFinding(a.id, a.closing, computed))
    return found


def _batch(saft: SaftFile, lines: pd.DataFrame, kind: str) -> Batch:
    digest = hashlib.sha256(f"{saft.sha256}:saft:{kind}".encode()).hexdigest()
    return Batch(saft.source, digest, lines, kind)
