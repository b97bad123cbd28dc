"""Exact money: integer øre inside, ``Decimal`` only at the edges.

Every amount in the books is an ``int`` number of øre (1 krone = 100 øre): an
``INTEGER`` in SQLite and ``int64`` in pandas.  Text is turned into øre by
:func:`parse_amount` (one value) or :func:`parse_amounts` (a whole column, for
imports), and øre are turned back into text by :func:`format_kroner` and
:func:`format_decimal`.

Accepted amount text: an optional minus sign, digits, optionally grouped in
threes by a space, no-break space (U+00A0), narrow no-break space (U+202F) or
thin space (U+2009), and an optional decimal part of one or two digits after a
comma or a point: ``1234.50``, ``-1234.5``, ``1 234,50``, ``-0,01``.
Refused: more than two decimals, NaN, infinities, empty text, exponents, and
floats passed in code (a float cannot hold øre exactly).

Bound: the absolute amounts of all lines of the books sum to at most
:data:`MAX_BOOKS_ORE` (10^18 øre, ten million billion kroner).  Every balance, total
and sum the engine computes is a sum of some of those lines, so none can leave int64
(±9.2 × 10^18): a file, a batch or a close that would pass the bound is refused.

Display rounds each amount to whole kroner, half away from zero
(``0,50`` → ``1``, ``-0,50`` → ``-1``): the rule of the published statements,
where each line is rounded on its own, so a printed total may differ by a krone
or two from the sum of its printed lines.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from ledger.core.lazy import defer

# Loaded on first use (the vectorised parsers): formatting an amount needs none of them.
np = defer("numpy")
pd = defer("pandas")
pa = defer("pyarrow")

# The bound on the sum of the absolute amounts of all lines of the books (øre).
MAX_BOOKS_ORE = 10**18

# Thousands separators accepted between digit groups.
_GROUP_SEPARATORS = " \u00a0\u202f\u2009"
_AMOUNT_RE = re.compile(
    # ASCII digits only: Python's \d would also take ``١٠٠`` and ``５``.
    r"^(?P<sign>-)?(?P<int>[0-9]{1,3}(?:[" + _GROUP_SEPARATORS + r"][0-9]{3})+|[0-9]+)"
    r"(?:[.,](?P<frac>[0-9]{1,2}))?$"
)
# The plain ASCII form, a subset of ``_AMOUNT_RE`` that needs no stripping or
# separators, with at most 16 whole digits (the int64 bound of parse_amounts).
_PLAIN_AMOUNT = r"^(?P<sign>-?)(?P<int>[0-9]{1,16})(?:[.,](?P<frac>[0-9]{1,2}))?$"
_PLAIN_SHAPE = r"^-?[0-9]{1,16}(?:[.,][0-9]{1,2})?$"  # _PLAIN_AMOUNT without its groups


class MoneyError(ValueError):
    """An amount that cannot be exact øre (bad text, too many decimals, a float)."""


def parse_amount(value: str | int | Decimal) -> int:
    """Parse one amount into øre.

    ``str`` in the formats of this module; ``int`` is taken as whole kroner and
    ``Decimal`` must have at most two decimals.  ``float`` and ``bool`` are refused.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(f"refusing {type(value).__name__} {value!r}: use text, int or Decimal")
    if isinstance(value, int):
        return value * 100
    if isinstance(value, Decimal):
        return _decimal_to_ore(value)
    if not isinstance(value, str):
        raise MoneyError(f"not an amount: {value!r}")
    match = _AMOUNT_RE.match(value.strip())
    if match is None:
        raise MoneyError(f"not an amount with at most two decimals: {value!r}")
    return _match_to_ore(match)


def _match_to_ore(match: re.Match[str]) -> int:
    digits = re.sub(f"[{_GROUP_SEPARATORS}]", "", match["int"])
    frac = (match["frac"] or "").ljust(2, "0")
    ore = int(digits) * 100 + int(frac)
    return -ore if match["sign"] else ore


def _decimal_to_ore(value: Decimal) -> int:
    if not value.is_finite():
        raise MoneyError(f"not a finite amount: {value!r}")
    ore = value * 100
    if ore != ore.to_integral_value():
        raise MoneyError(f"more than two decimals: {value!r}")
    return int(ore)


def parse_amounts(texts: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of amount text into øre, vectorised for large imports.

    Returns ``(ore, bad)``: ``ore`` is int64 (0 where bad) and ``bad`` a boolean
    mask of the entries that are not amounts under the rules of this module.
    """
    # Fast path (pyarrow, no Python object per entry) for the plain ASCII form
    # ``-1234.5``; every other entry goes through the general parser below.
    plain = _plain_amounts(texts)
    if plain is None:
        return _parse_amounts_general(texts)
    ore, parsed = plain
    bad = np.zeros(len(texts), dtype=bool)
    if not parsed.all():
        rest_ore, rest_bad = _parse_amounts_general(texts[~parsed])
        ore[~parsed] = rest_ore.to_numpy()
        bad[~parsed] = rest_bad.to_numpy()
    return pd.Series(ore, index=texts.index, dtype="int64"), pd.Series(bad, index=texts.index, name="int")


def _plain_amounts(texts: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """(øre, parsed) for entries of the form ``_PLAIN_AMOUNT``, or None if not text."""
    import pyarrow.compute as pc  # a submodule: imported here, when pyarrow is needed anyway

    try:
        array = pa.array(texts, from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return None
    # No capture groups (RE2 matches without them several times faster): the shape is
    # checked, then Arrow's cast to decimal(18, 2) parses every entry of that shape exactly
    # (at most 16 + 2 digits), and its unscaled value is the øre.
    parsed = pc.fill_null(pc.match_substring_regex(array, _PLAIN_SHAPE), False)
    text = array if pc.all(parsed).as_py() else pc.if_else(parsed, array, "0")
    if pc.any(pc.greater(pc.count_substring(text, ","), 0)).as_py():
        text = pc.replace_substring(text, ",", ".")
    return _unscaled_ore(pc.cast(text, pa.decimal128(18, 2))), parsed.to_numpy(zero_copy_only=False)


def _unscaled_ore(decimals) -> np.ndarray:
    """The unscaled values of a decimal(18, 2) array (its øre) as int64: the low word of
    each little-endian 128-bit value (|value| < 10^18 < 2^63, so the high word is only sign)."""
    words = np.frombuffer(decimals.buffers()[1], dtype="<i8")
    return words[2 * decimals.offset::2][:len(decimals)].astype("int64")


def _parse_amounts_general(texts: pd.Series) -> tuple[pd.Series, pd.Series]:
    """:func:`parse_amounts` for any text, one regular-expression match per entry."""
    text = texts.astype("string").str.strip()
    parts = text.str.extract(_AMOUNT_RE.pattern)
    bad = parts["int"].isna()
    whole = parts["int"].str.replace(f"[{_GROUP_SEPARATORS}]", "", regex=True)
    # More than 18 digits would overflow int64 øre: refuse rather than wrap.
    bad |= whole.str.len().fillna(0) > 16
    whole = whole.where(~bad, "0").astype("int64")
    frac = parts["frac"].fillna("").str.ljust(2, "0").where(~bad, "0").astype("int64")
    ore = whole * 100 + frac
    ore = ore.where(parts["sign"].isna(), -ore)
    return ore.astype("int64"), bad.astype(bool)


def round_half_away(numerator: int, divisor: int) -> int:
    """``numerator / divisor`` as an integer, half away from zero, exactly.

    The one rounding rule of the project: the published statements round each line
    to whole kroner this way, and so do percentages and key figures.
    """
    quotient, remainder = divmod(abs(int(numerator)), divisor)
    whole = quotient + (1 if 2 * remainder >= divisor else 0)
    return -whole if numerator < 0 else whole


def to_kroner(ore: int) -> int:
    """Whole kroner, rounded half away from zero (the publication's rule)."""
    return round_half_away(ore, 100)


def percent_of(amount: int, percent: int) -> int:
    """``amount × percent / 100`` in whole øre, half away from zero (exact integers)."""
    return round_half_away(int(amount) * percent, 100)


def to_decimal(ore: int) -> Decimal:
    """Kroner as an exact ``Decimal`` with two decimals."""
    return (Decimal(int(ore)) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def group_thousands(value: int) -> str:
    """An integer with a space between thousands, as printed: ``-1 234 567``."""
    return f"{int(value):,}".replace(",", " ")


def format_millions(ore: int) -> str:
    """Millions of kroner with two decimals and a comma, as texts print them: ``4,90``, ``-12,35``
    (rounded half away from zero, :func:`round_half_away`)."""
    hundredths = round_half_away(int(ore), 100 * 10_000)  # 1 øre × 100 × 10 000 = 0,01 mill. kroner
    whole, part = divmod(abs(hundredths), 100)
    return f"{'-' if hundredths < 0 else ''}{group_thousands(whole)},{part:02d}"


def format_kroner(ore: int) -> str:
    """Whole kroner with a space between thousands: ``-1 234 567``."""
    return group_thousands(to_kroner(ore))


def format_decimal(ore: int) -> str:
    """Kroner with two decimals and a point, no separator: ``-1234567.50``."""
    return f"{to_decimal(ore):.2f}"
