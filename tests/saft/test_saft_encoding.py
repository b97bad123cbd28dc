"""The bytes of a SAF-T file against its XML declaration (issue #20): refused at the first bad byte."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ledger.books.store import Books
from ledger.cli import cli
from ledger.saft import encoding, parse_saft, read_saft
from tests.support.saft_helpers import SMALL_130

LATIN1 = SMALL_130.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
# "Direktoratet for prøving" is the first non-ASCII text: its "ø" starts at this byte.
FIRST_NON_ASCII = SMALL_130.encode("utf-8").index("ø".encode("utf-8"))
FIRST_NON_ASCII_LATIN1 = FIRST_NON_ASCII + len("ISO-8859-1") - len("UTF-8")
FIRST_LINE = SMALL_130[:SMALL_130.index("ø")].count("\n") + 1


def refusal(tmp_path, content: bytes):
    path = tmp_path / "f.xml"
    path.write_bytes(content)
    batches, violations, _ = read_saft(path)
    assert batches == []
    [violation] = violations
    return violation


def test_iso_8859_1_declared_over_utf8_bytes_is_refused_at_the_first_utf8_sequence(tmp_path):
    violation = refusal(tmp_path, LATIN1.encode("utf-8"))
    assert violation.rule == "encoding" and violation.source.line == FIRST_LINE == 12
    assert (f"declares ISO-8859-1, but its bytes are UTF-8: the first non-ASCII byte, at offset "
            f"{FIRST_NON_ASCII_LATIN1}, starts a UTF-8 sequence") in violation.message


def test_utf8_declared_over_latin1_bytes_is_refused_at_the_first_invalid_byte(tmp_path):
    violation = refusal(tmp_path, SMALL_130.encode("latin-1"))
    assert violation.rule == "encoding" and violation.source.line == FIRST_LINE
    assert f"byte 0xF8 at offset {FIRST_NON_ASCII} is not valid UTF-8" in violation.message


def test_a_true_iso_8859_1_file_is_read_as_such(tmp_path):
    path = tmp_path / "f.xml"
    path.write_bytes(LATIN1.encode("latin-1"))
    saft = parse_saft(path)
    assert saft.company == "Direktoratet for prøving"
    assert [a.name for a in saft.accounts if a.id == "2400"] == ["Leverandørgjeld"]


@pytest.mark.parametrize("content, message", [
    (LATIN1.replace("ISO-8859-1", "windows-1252").encode("latin-1").replace(b"Kari", b"K\x81ri"),
     "byte 0x81 at offset"),
    (b"\xef\xbb\xbf" + LATIN1.encode("utf-8"), "starts with a UTF-8 byte order mark but declares ISO-8859-1"),
    (SMALL_130.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-8"),
     "declares UTF-16, but its declaration is written in single bytes"),
    (SMALL_130.encode("utf-8")[:FIRST_NON_ASCII + 1], "ends inside a UTF-8 character"),
])
def test_other_mismatches(tmp_path, content, message):
    violation = refusal(tmp_path, content)
    assert violation.rule == "encoding" and message in violation.message


def test_sequences_across_chunk_boundaries(tmp_path, monkeypatch):
    # Every multi-byte character split by some chunk boundary, the offsets still exact.
    for size in (1, 2, 3, 7):
        monkeypatch.setattr(encoding, "CHUNK", size)
        path = tmp_path / "ok.xml"
        path.write_bytes(SMALL_130.encode("utf-8"))
        encoding.digest_checked(path)
        path.write_bytes(SMALL_130.encode("latin-1"))
        with pytest.raises(encoding.EncodingMismatch) as bad:
            encoding.digest_checked(path)
        assert (bad.value.offset, bad.value.line) == (FIRST_NON_ASCII, FIRST_LINE)
        path.write_bytes(LATIN1.encode("utf-8"))
        with pytest.raises(encoding.EncodingMismatch) as bad:
            encoding.digest_checked(path)
        assert (bad.value.offset, bad.value.line) == (FIRST_NON_ASCII_LATIN1, FIRST_LINE)


def test_import_refuses_mojibake_and_changes_nothing(tmp_path):
    source = tmp_path / "latin.xml"
    source.write_bytes(LATIN1.encode("utf-8"))
    good = tmp_path / "good.xml"
    good.write_text(SMALL_130, encoding="utf-8")
    books = tmp_path / "b.sqlite"
    assert CliRunner().invoke(cli, ["--books", str(books), "init", "--chart-from", str(good)]).exit_code == 0
    with Books.open(books) as b:
        before = b.counts(), b.head_hash()
    result = CliRunner().invoke(cli, ["--books", str(books), "import", str(source)])
    assert result.exit_code == 1 and f"{source}:12: [encoding]" in result.output
    assert "Traceback" not in result.output
    with Books.open(books) as b:
        assert (b.counts(), b.head_hash()) == before
