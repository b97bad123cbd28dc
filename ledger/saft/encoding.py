"""The bytes of a SAF-T file against its XML declaration, and the file's sha256, in one pass.

libxml2 trusts a declaration that names a single-byte encoding: every byte is an
ISO-8859-1 character, so a file declared ISO-8859-1 whose bytes are UTF-8 is read
without complaint and stored as mojibake (``LeverandÃ¸rgjeld``).  :func:`digest_checked`
reads the file once, in chunks, and refuses it

- when its bytes are not valid in the declared encoding (a UTF-8 file with an
  ISO-8859-1 ``ø``, a byte that windows-1252 leaves undefined), naming the byte
  offset and line of the first invalid byte;
- when it declares a single-byte encoding but its non-ASCII bytes are all UTF-8
  sequences, naming the offset of the first of them.  Text genuinely in
  ISO-8859-1 is practically never valid UTF-8 (``æøå`` are E6 F8 E5), so this
  refuses the mislabelled files and no real ones.

Encodings that need more than the first bytes to be recognised (UTF-16/32 without
a BOM) and names Python does not know are left to libxml2, which refuses what it
cannot read.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

CHUNK = 1 << 20
HEAD = 1024  # the declaration is at the very start of a file
_DECLARATION = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_BOMS = ((codecs.BOM_UTF8, "UTF-8"), (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
         (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))
_NON_ASCII = re.compile(rb"[\x80-\xff]")


class EncodingMismatch(Exception):
    """Bytes that do not match the declared encoding: ``offset`` and ``line`` of the first bad byte."""

    def __init__(self, message: str, offset: int, line: int):
        self.offset = offset
        self.line = line
        super().__init__(message)


def declared_encoding(head: bytes) -> str | None:
    """The encoding the start of a file declares: its BOM, its ``<?xml … encoding=…?>``, else UTF-8.

    None when the start is not ASCII-compatible without a BOM (UTF-16/32 without
    one): libxml2 then recognises the encoding itself.  Raises
    :class:`EncodingMismatch` when a BOM and the declaration disagree, or when the
    declaration, written in ASCII, names an encoding in which ASCII is not itself
    (UTF-16 written in single bytes).
    """
    bom = next((name for mark, name in _BOMS if head.startswith(mark)), None)
    if bom is None and (head[:1] == b"\x00" or head[1:2] == b"\x00"):
        return None
    match = _DECLARATION.match(head.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n"))
    declared = match.group(1).decode("ascii") if match else None
    codec = _codec(declared) if declared else None
    if bom and codec not in (None, _codec(bom)):
        raise EncodingMismatch(f"the file starts with a {bom} byte order mark but declares {declared}", 0, 1)
    if not bom and codec and "<?xml".encode(codec) != b"<?xml":
        raise EncodingMismatch(f"the file declares {declared}, but its declaration is written in single "
                               f"bytes (ASCII), not in {declared}", 0, 1)
    return bom or declared or "UTF-8"


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def digest_checked(path: Path) -> str:
    """The sha256 of ``path``; raise :class:`EncodingMismatch` if its bytes do not match its declaration."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        head = handle.read(HEAD)
        check = _Check.of(head)
        chunk = head
        while chunk:
            digest.update(chunk)
            if check:
                check.feed(chunk)
            chunk = handle.read(CHUNK)
    if check:
        check.finish()
    return digest.hexdigest()


class _Check:
    """Decodes the chunks strictly in the declared encoding (and, for a single-byte one, as UTF-8)."""

    def __init__(self, label: str, codec: str, single_byte: bool):
        self.name = label  # as the declaration spells it
        self.declared = codecs.getincrementaldecoder(codec)(errors="strict")
        # For a single-byte declaration: a UTF-8 decoder that stays alive while the
        # bytes could be UTF-8, and where the first non-ASCII byte is (offset, line).
        self.utf8 = codecs.getincrementaldecoder("utf-8")(errors="strict") if single_byte else None
        self.first_non_ascii: tuple[int, int] | None = None
        self.offset = 0
        self.lines = 1

    @classmethod
    def of(cls, head: bytes) -> _Check | None:
        """The check for a file starting with ``head``; None when it is libxml2's to do."""
        name = declared_encoding(head)
        if name is None:
            return None
        try:
            info = codecs.lookup(name)
        except LookupError:
            return None
        # A codec that reads the two bytes of a UTF-8 "ø" as two characters is single-byte.
        single = info.name != "utf-8" and len(codecs.decode(b"\xc3\xb8", info.name, "replace")) == 2
        return cls(name, info.name, single)

    def feed(self, chunk: bytes) -> None:
        """Check the next chunk; raise :class:`EncodingMismatch` at the first bad byte."""
        pending = len(self.declared.getstate()[0])
        try:
            self.declared.decode(chunk)
        except UnicodeDecodeError as exc:
            # exc.start counts from the bytes the decoder still held from the last chunk.
            within = exc.start - pending
            at = self.offset + within
            raise EncodingMismatch(
                f"the file declares {self.name}, but byte 0x{exc.object[exc.start]:02X} at offset {at} "
                f"is not valid {self.name}", at, self.line_at(chunk, within)) from None
        if self.utf8 is not None:
            self.feed_utf8(chunk)
        self.lines += chunk.count(b"\n")
        self.offset += len(chunk)

    def feed_utf8(self, chunk: bytes) -> None:
        """Follow whether the bytes so far are UTF-8, and where the first non-ASCII byte is."""
        if self.first_non_ascii is None:
            found = _NON_ASCII.search(chunk)
            if found:
                self.first_non_ascii = (self.offset + found.start(), self.line_at(chunk, found.start()))
        try:
            self.utf8.decode(chunk)
        except UnicodeDecodeError:
            self.utf8 = None  # not UTF-8: the single-byte declaration may well be right

    def line_at(self, chunk: bytes, within: int) -> int:
        """The line of byte ``within`` of ``chunk``."""
        return self.lines + chunk[:max(within, 0)].count(b"\n")

    def finish(self) -> None:
        """At the end of the file: refuse a single-byte declaration over UTF-8 bytes."""
        try:
            self.declared.decode(b"", final=True)
        except UnicodeDecodeError:
            at = self.offset - len(self.declared.getstate()[0])
            raise EncodingMismatch(f"the file declares {self.name}, but it ends inside a "
                                   f"{self.name} character at offset {at}", at, self.lines) from None
        if self.utf8 is not None and self.first_non_ascii is not None:
            at, line = self.first_non_ascii
            raise EncodingMismatch(
                f"the file declares {self.name}, but its bytes are UTF-8: the first non-ASCII byte, at "
                f"offset {at}, starts a UTF-8 sequence (declare encoding=\"UTF-8\", or write the file "
                f"in {self.name})", at, line)
