"""SAF-T Financial schemas (packaged) and a hardened XML parser.

The two Norwegian XSDs (1.10 and 1.30) live in ``ledger/saft/schemas/``.  A file
names its version in ``Header/AuditFileVersion``: ``1.0``/``1.00``/``1.1``/``1.10``
are checked against 1.10, ``1.3``/``1.30`` against 1.30.

Every parse of an untrusted file goes through :func:`iterparse` (or
:func:`parser`): no DTD loading, no entity resolution, no network, libxml2's
default size limits (``huge_tree`` off).  A file with a DOCTYPE is refused
outright, as SAF-T files never have one (this stops external entities and
entity-expansion bombs before anything is read).
"""

from __future__ import annotations

import functools
from pathlib import Path

import attrs
from lxml import etree

NAMESPACE = "urn:StandardAuditFile-Taxation-Financial:NO"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMA_FILES = {
    "1.10": "Norwegian_SAF-T_Financial_Schema_v_1.10.xsd",
    "1.30": "Norwegian_SAF-T_Financial_Schema_v_1.30.xsd",
}
# AuditFileVersion text -> the schema it is validated against.
VERSIONS = {"1.0": "1.10", "1.00": "1.10", "1.1": "1.10", "1.10": "1.10", "1.3": "1.30", "1.30": "1.30"}
# Files up to this size get a second, whole-tree validation for line numbers.
LINE_DIAGNOSTICS_LIMIT = 64 * 1024 * 1024
_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                       dtd_validation=False, remove_comments=True, remove_pis=True)


class SaftFormatError(Exception):
    """A file that is not a readable, valid SAF-T Financial file.

    ``problems`` are ``(line, message)`` pairs (line 0 when unknown); ``rule`` the
    violation rule they are reported under (``saft-format``, or ``encoding`` for bytes
    that do not match the declaration).
    """

    def __init__(self, problems: list[tuple[int, str]], rule: str = "saft-format"):
        self.problems = problems
        self.rule = rule
        super().__init__("; ".join(f"line {line}: {msg}" if line else msg for line, msg in problems[:3]))


@attrs.frozen
class HeaderInfo:
    """What the start of a file says about itself."""

    audit_file_version: str
    schema_version: str


def parser(schema: etree.XMLSchema | None = None) -> etree.XMLParser:
    """A hardened (non-streaming) parser, optionally validating against ``schema``."""
    return etree.XMLParser(schema=schema, **_PARSER_OPTIONS)


def iterparse(path: Path | str, events=("start", "end"), tag=None):
    """A hardened ``lxml.etree.iterparse`` over ``path`` (events of the elements ``tag`` only, if given)."""
    return etree.iterparse(str(path), events=events, tag=tag, **_PARSER_OPTIONS)


def local(tag: object) -> str:
    """The local name of an element tag (``{ns}Name`` → ``Name``)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def refuse_doctype(element: etree._Element) -> None:
    """Raise :class:`SaftFormatError` when the document has a DOCTYPE (DTD, entities)."""
    info = element.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise SaftFormatError([(1, "the file has a DOCTYPE declaration; SAF-T files have none "
                                   "(DTDs and entities are refused)")])


@functools.lru_cache(maxsize=None)
def load_schema(version: str) -> etree.XMLSchema:
    """The packaged XSD of ``version`` (``1.10`` or ``1.30``)."""
    path = SCHEMA_DIR / SCHEMA_FILES[version]
    return etree.XMLSchema(etree.parse(str(path), parser()))


def read_header(path: Path | str) -> HeaderInfo:
    """Read the start of a file up to ``Header/AuditFileVersion`` (streaming, stops early)."""
    first = True
    try:
        for event, element in iterparse(path):
            if first:
                refuse_doctype(element)
                if element.tag != f"{{{NAMESPACE}}}AuditFile":
                    raise SaftFormatError([(element.sourceline or 0, f"the root element is {element.tag}, "
                                            f"not a SAF-T Financial AuditFile ({NAMESPACE})")])
                first = False
            if event == "end" and local(element.tag) == "AuditFileVersion":
                text = (element.text or "").strip()
                if text not in VERSIONS:
                    raise SaftFormatError([(element.sourceline or 0,
                                            f"AuditFileVersion {text!r} has no packaged schema "
                                            f"(known: 1.10 and 1.30)")])
                return HeaderInfo(text, VERSIONS[text])
            if event == "end" and local(element.tag) == "Header":
                break
    except (etree.LxmlError, ValueError, OSError) as exc:
        raise SaftFormatError([(_line_of(exc), _message_of(exc))]) from None
    raise SaftFormatError([(0, "no Header/AuditFileVersion at the start of the file")])


class _NoTree:
    """A parser target that builds nothing: libxml2 validates, Python sees no event."""

    def close(self) -> None:
        """The end of the document (nothing to return)."""


def is_valid(path: Path | str, version: str) -> bool:
    """Whether ``path`` is well-formed and valid against the schema of ``version``.

    The fast check: the whole parse and validation run inside libxml2 (no tree, no
    Python per element, the GIL released), about three times faster than a
    validating ``iterparse``.  It gives no line numbers; :func:`validate` asks
    :func:`diagnose` for them when a file fails.
    """
    check = etree.XMLParser(schema=load_schema(version), target=_NoTree(), **_PARSER_OPTIONS)
    try:
        etree.parse(str(path), check)
    except (etree.LxmlError, ValueError, OSError):
        return False
    return not any(entry.level_name in ("ERROR", "FATAL") for entry in check.error_log)


def validate(path: Path | str, version: str) -> None:
    """Validate ``path`` against the schema of ``version``; raise :class:`SaftFormatError`."""
    if not is_valid(path, version):
        raise SaftFormatError(diagnose(path, version))


def diagnose(path: Path | str, version: str) -> list[tuple[int, str]]:
    """The schema problems of an invalid file, with line numbers.

    Validation streams (memory stays small) and stops at the first problem.  A file
    no larger than :data:`LINE_DIAGNOSTICS_LIMIT` is validated once more as a whole
    tree, which gives every schema message with its line number.
    """
    schema = load_schema(version)
    try:
        for _event, element in etree.iterparse(str(path), events=("end",), schema=schema,
                                               **_PARSER_OPTIONS):
            element.clear(keep_tail=True)
        streamed = [(0, f"the file is not valid against schema {version}")]  # pragma: no cover
    except (etree.LxmlError, ValueError, OSError) as exc:
        streamed = [(_line_of(exc), _message_of(exc))]
    if Path(path).stat().st_size > LINE_DIAGNOSTICS_LIMIT:
        return [(line, f"schema {version}: {msg}") for line, msg in streamed]
    try:
        tree = etree.parse(str(path), parser())
    except (etree.LxmlError, ValueError, OSError) as exc:
        return [(_line_of(exc), _message_of(exc))]
    if schema.validate(tree):  # pragma: no cover - the streamed and whole-tree checks agree
        return [(line, f"schema {version}: {msg}") for line, msg in streamed]
    return [(entry.line, f"schema {version}: {entry.message}") for entry in schema.error_log]


def _line_of(exc: Exception) -> int:
    line = getattr(exc, "lineno", None) or 0
    return int(line) if isinstance(line, int) else 0


def _message_of(exc: Exception) -> str:
    msg = getattr(exc, "msg", None) or str(exc)
    return str(msg).split(" (<string>, line")[0]
