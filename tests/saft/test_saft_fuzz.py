"""Hostile input: both importers fed mutated valid files.

Every case must end in a clear refusal (violations / :class:`PostingRefused` for the
CSV journal, :class:`SaftError` for SAF-T) or a clean import, never another
exception, and a refused file must leave the books exactly as they were (counts,
head hash, chart).  The default run makes 970 cases (the suite stays under 5 minutes); ``-m slow`` 18 000 more.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from pathlib import Path

import pytest
from tests.support.small import SMALL_BUDGET, SMALL_CHART
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.support.saft_helpers import EXAMPLE, SAFT_CHART, SMALL_130, SPLIT_110

from ledger.cli.saft import SaftError, import_saft
from ledger.journal.reader import parse_journal
from ledger.books.store import Books, PostingRefused

FAST = dict(deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)

VALID_CSV = (
    "date,voucher,account,amount,statskonto,artskonto,text,dim.prosjekt\n"
    "2024-01-25,L1,5000,1000.00,0670.01,,Lønn januar,P1\n"
    "2024-01-25,L1,1940,-700.00,,,Lønn januar,\n"
    "2024-01-25,L1,2600,-300.00,,,Forskuddstrekk,\n"
    "2024-02-10,F1,6730,\"1 234,50\",,673,Faktura «æøå»,P2\n"
    "2024-02-10,F1,2400,-1234.50,,,Faktura,\n"
).encode("utf-8")

HUGE = ["9999999999999999.99", "99999999999999999", "-9999999999999999.99", "1e308", "NaN", "inf",
        "0.001", "1,2,3", "--5", "+5", "", " ", "٣٤", "１２", "9" * 400, "0x10", "1_000"]
SAFT_HUGE = ["9999999999999999.99", "99999999999999999.99", "-9999999999999999.99", "1E+400", "NaN",
             "0.001", "+1.50", ".5", "5.", "-0", "", "1 000", "9" * 40]
DOCTYPES = [
    '<!DOCTYPE n1:AuditFile [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE n1:AuditFile [<!ENTITY e SYSTEM "http://127.0.0.1:9/e">]>',
    '<!DOCTYPE n1:AuditFile [<!ENTITY a "xxxxxxxxxxxxxxxx"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY e "&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    '<!DOCTYPE n1:AuditFile [<!ENTITY e "' + "y" * 5000 + '">]>',
    '<!DOCTYPE n1:AuditFile SYSTEM "file:///etc/passwd">',
    '<!DOCTYPE n1:AuditFile [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>',
    '<!DOCTYPE n1:AuditFile [<!ELEMENT n1:AuditFile ANY>]>',
]
SAFT_TAGS = ["Amount", "AccountID", "TransactionID", "TotalDebit", "TotalCredit", "NumberOfEntries",
             "GroupingCode", "Description", "TransactionDate", "OpeningDebitBalance", "Line",
             "Transaction", "Header", "AuditFileVersion", "SelectionCriteria", "AnalysisType",
             "AnalysisAmount", "AnalysisID"]


# -- mutations (shared) -------------------------------------------------------

@st.composite
def byte_mutation(draw, content: bytes) -> bytes:
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "encoding", "duplicate"]))
    pos = draw(st.integers(0, max(len(content) - 1, 0)))
    if kind == "truncate":
        return content[:pos]
    if kind == "flip":
        return content[:pos] + bytes([draw(st.integers(0, 255))]) + content[pos + 1:]
    if kind == "insert":
        return content[:pos] + draw(st.binary(min_size=1, max_size=12)) + content[pos:]
    if kind == "delete":
        return content[:pos] + content[pos + draw(st.integers(1, 40)):]
    if kind == "duplicate":
        end = min(len(content), pos + draw(st.integers(1, 400)))
        return content[:end] + content[pos:end] + content[end:]
    text = content.decode("utf-8", errors="surrogateescape")
    encoding = draw(st.sampled_from(["latin-1", "utf-16", "utf-16-be", "cp1252", "utf-32", "utf-8-sig"]))
    return text.encode(encoding, errors="replace")


def replace_nth(text: str, pattern: str, replacement: str, n: int) -> str:
    matches = list(re.finditer(pattern, text, flags=re.S))
    if not matches:
        return text
    m = matches[n % len(matches)]
    return text[:m.start()] + replacement + text[m.end():]


# -- CSV journal ----------------------------------------------------------------

@st.composite
def csv_mutation(draw, content: bytes) -> bytes:
    text = content.decode("utf-8", errors="surrogateescape")
    kind = draw(st.sampled_from(["bytes", "amount", "cell", "column", "field", "newline"]))
    n = draw(st.integers(0, 20))
    if kind == "bytes":
        return draw(byte_mutation(content))
    if kind == "amount":
        value = draw(st.one_of(st.sampled_from(HUGE), st.integers(-(10**22), 10**22).map(str),
                               st.decimals(allow_nan=True, allow_infinity=True).map(str)))
        text = replace_nth(text, r"-?\d+\.\d\d(?=,)", value, n)
    elif kind == "cell":
        text = replace_nth(text, r"(?<=,)[^,\n]*(?=,)", draw(st.text(max_size=8)), n)
    elif kind == "column":
        text = replace_nth(text, r"\b(date|voucher|account|amount|statskonto|artskonto|text)\b",
                           draw(st.sampled_from(["", "x", "amount", "dim."])), n)
    elif kind == "field":
        text = replace_nth(text, r",", draw(st.sampled_from(["", ",,", ";", '"', "\n"])), n)
    else:
        text = replace_nth(text, r"\n", draw(st.sampled_from(["\r\n", "\r", "\n\n", "\x00", '"\n'])), n)
    return text.encode("utf-8", errors="surrogateescape")


def _state(books: Books):
    return books.counts(), books.head_hash(), books.account_count()


def check_journal(books: Books, content: bytes) -> str:
    """Import ``content`` as a journal file; return ``posted``/``refused``; fail on anything else."""
    # Fresh voucher ids, so that clean imports stay possible in shared books.
    suffix = uuid.uuid4().hex[:6].encode()
    content = re.sub(rb"\b(L1|F1)\b", lambda m: m.group() + suffix, content)
    before = _state(books)
    batch, violations = parse_journal(content, source="fuzz.csv")
    if not violations:
        try:
            books.post(batch)
        except PostingRefused as refused:
            violations = refused.violations
    if violations:
        assert all(str(v) for v in violations)
        assert _state(books) == before
        return "refused"
    tb = books.trial_balance(2024) if 2024 in set(books.lines(2024)["year"]) else None
    assert tb is None or int(tb["amount"].sum()) == 0
    assert books.audit().ok
    return "posted"


@pytest.fixture(scope="module")
def journal_books(tmp_path_factory):
    with Books.create(tmp_path_factory.mktemp("fuzz") / "b.sqlite", SMALL_CHART, SMALL_BUDGET) as books:
        yield books


def test_valid_csv_imports(journal_books):
    assert check_journal(journal_books, VALID_CSV) == "posted"


@settings(max_examples=400, **FAST)
@given(data=st.data())
def test_csv_journal_survives_mutations(journal_books, data):
    content = VALID_CSV
    for _ in range(data.draw(st.integers(1, 3))):
        content = data.draw(csv_mutation(content))
    check_journal(journal_books, content)


@settings(max_examples=150, **FAST)
@given(amounts=st.lists(st.integers(-(10**18) + 1, 10**18 - 1), min_size=1, max_size=25))
def test_csv_journal_huge_amounts(journal_books, amounts):
    # Near-limit øre amounts, often made to "balance" only modulo 2^64.
    if len(amounts) > 2:
        amounts.append(-(sum(amounts) % 2**64))
    rows = [f"2024-05-01,H,6730,{'-' if a < 0 else ''}{abs(a) // 100}.{abs(a) % 100:02d},,,x" for a in amounts]
    check_journal(journal_books, ("date,voucher,account,amount,statskonto,artskonto,text\n"
                                  + "\n".join(rows) + "\n").encode())


def test_wrapping_amounts_are_refused(journal_books):
    big = 999_999_999_999_999_999
    amounts = [big] * 18 + [2**64 - 18 * big]
    rows = [f"2024-05-01,W,6730,{a // 100}.{a % 100:02d},,,x" for a in amounts]
    _, violations = parse_journal(("date,voucher,account,amount,statskonto,artskonto,text\n"
                                   + "\n".join(rows)).encode(), "wrap.csv")
    assert [v.rule for v in violations] == ["amount-bound"]


# -- SAF-T ------------------------------------------------------------------------

@st.composite
def saft_mutation(draw, content: bytes) -> bytes:
    kind = draw(st.sampled_from(["bytes", "amount", "remove", "doctype", "totals", "text", "duplicate",
                                 "declaration"]))
    n = draw(st.integers(0, 30))
    if kind == "bytes":
        return draw(byte_mutation(content))
    text = content.decode("utf-8", errors="surrogateescape")
    if kind == "amount":
        tag = draw(st.sampled_from(["Amount", "TotalDebit", "TotalCredit", "OpeningDebitBalance",
                                    "ClosingCreditBalance", "OpeningCreditBalance"]))
        value = draw(st.one_of(st.sampled_from(SAFT_HUGE), st.integers(-(10**20), 10**20).map(str)))
        text = replace_nth(text, rf"(?<=<n1:{tag}>)[^<]*(?=</n1:{tag}>)", value, n)
    elif kind == "remove":
        tag = draw(st.sampled_from(SAFT_TAGS))
        text = replace_nth(text, rf"<n1:{tag}>.*?</n1:{tag}>", "", n)
    elif kind == "doctype":
        text = re.sub(r"^(\ufeff?<\?xml[^>]*\?>)", lambda m: m.group(1) + draw(st.sampled_from(DOCTYPES)), text)
        text = replace_nth(text, r"(?<=<n1:Description>)[^<]*(?=</n1:Description>)", "&e;", n)
    elif kind == "totals":
        tag = draw(st.sampled_from(["NumberOfEntries", "TransactionID", "AccountID", "PeriodYear",
                                    "TransactionDate", "AuditFileVersion", "PeriodStart"]))
        value = draw(st.sampled_from(["0", "3", "99999999999999999999", "-1", "T1", "1925", "2400", "1.10",
                                      "1.30", "2100-13-01", "2015-02-29", "0001-01-01", "9999-12-31Z", ""]))
        text = replace_nth(text, rf"(?<=<n1:{tag}>)[^<]*(?=</n1:{tag}>)", value, n)
    elif kind == "text":
        value = draw(st.text(max_size=20)).replace("]]>", "")
        text = replace_nth(text, r"(?<=<n1:Description>)[^<]*(?=</n1:Description>)",
                           draw(st.sampled_from([value, f"<![CDATA[{value}]]>", "&amp;&lt;", "&#0;", "&#xD800;",
                                                 "<n1:x/>", "&undefined;"])), n)
    elif kind == "duplicate":
        tag = draw(st.sampled_from(["Transaction", "Line", "Account", "Analysis"]))
        matches = list(re.finditer(rf"<n1:{tag}>.*?</n1:{tag}>", text, flags=re.S))
        if matches:
            m = matches[n % len(matches)]
            text = text[:m.end()] + m.group() + text[m.end():]
    else:
        text = re.sub(r'encoding="[^"]*"', draw(st.sampled_from(['encoding="ISO-8859-1"', 'encoding="UTF-16"',
                                                                   'encoding="EBCDIC"', 'encoding="nonsense"'])),
                      text, count=1)
    return text.encode("utf-8", errors="surrogateescape")


def check_saft(content: bytes, suspense: str | None, strict: bool) -> str:
    """Import ``content`` as SAF-T into fresh books; ``posted``/``refused``; fail on anything else."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xml"
        path.write_bytes(content)
        with Books.create(Path(folder) / "b.sqlite", SAFT_CHART) as books:
            before = _state(books)
            try:
                import_saft(books, path, opening_suspense=suspense, strict=strict)
            except SaftError as refused:
                assert refused.message
                assert _state(books) == before
                return "refused"
            assert books.audit().ok
            for year in set(books.lines(2015)["year"]) | set(books.lines(2024)["year"]):
                assert int(books.trial_balance(int(year))["amount"].sum()) == 0
            return "posted"


BASES = [SMALL_130.encode("utf-8"), EXAMPLE.read_bytes(), SPLIT_110.read_bytes()]


def test_valid_saft_bases_import(capsys):
    assert check_saft(BASES[0], None, True) == "posted"
    assert check_saft(BASES[1], "9999", False) == "posted"
    assert check_saft(BASES[2], None, True) == "posted"


@settings(max_examples=300, **FAST)
@given(data=st.data())
def test_saft_survives_mutations(capsys, data):
    content = data.draw(st.sampled_from(BASES))
    for _ in range(data.draw(st.integers(1, 3))):
        content = data.draw(saft_mutation(content))
    check_saft(content, data.draw(st.sampled_from([None, "9999", "1925"])), data.draw(st.booleans()))


@settings(max_examples=120, **FAST)
@given(doctype=st.sampled_from(DOCTYPES), where=st.integers(0, 30), base=st.sampled_from(BASES))
def test_saft_entity_tricks_are_refused(capsys, doctype, where, base):
    text = base.decode("utf-8-sig")
    text = re.sub(r"^(<\?xml[^>]*\?>)", lambda m: m.group(1) + doctype, text)
    text = replace_nth(text, r"(?<=<n1:Description>)[^<]*(?=</n1:Description>)", "&e;", where)
    assert check_saft(text.encode(), "9999", False) == "refused"


@pytest.mark.slow
@settings(max_examples=10_000, **FAST)
@given(data=st.data())
def test_csv_journal_survives_mutations_long(journal_books, data):
    content = VALID_CSV
    for _ in range(data.draw(st.integers(1, 5))):
        content = data.draw(csv_mutation(content))
    check_journal(journal_books, content)


@pytest.mark.slow
@settings(max_examples=8_000, **FAST)
@given(data=st.data())
def test_saft_survives_mutations_long(capsys, data):
    content = data.draw(st.sampled_from(BASES))
    for _ in range(data.draw(st.integers(1, 5))):
        content = data.draw(saft_mutation(content))
    check_saft(content, data.draw(st.sampled_from([None, "9999", "1925"])), data.draw(st.booleans()))
