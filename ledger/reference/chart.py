"""The chart of accounts: the state's standard chart (SKP) and the bookkeeping accounts.

Accounts come from three tables (see ``chart_of_accounts/README.md``):

- ``skp/STAT_Grouping_Category_Code.csv``: the state's standard chart (SKP), unchanged;
- ``normal_side.csv``: the normal side of every account, by account range;
- ``accounts.csv``: finer accounts, names, roles and asset groups.

Bookkeeping accounts are four digits (docs/DESIGN.md): ``XXX0`` for every three-digit
SKP code, each four-digit SKP code as itself, plus the rows of ``accounts.csv``.
SKP codes named "Reservert…" get no bookkeeping account: nothing may be posted there.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType

import attrs

from ledger.core.problems import Problems
from ledger.reference.tables import ChartError, read_table, read_text_table, resolve_data_dir, table_rows

ROLES = frozenset({"kk_in", "kk_out", "mellomvaerende", "avregning"})
"""The fixed account roles (DESIGN.md 'Accounts')."""
SETTLEMENT_ROLES = frozenset({"kk_in", "kk_out", "mellomvaerende"})
"""Roles whose accounts are the settlement accounts of the settlement identity."""
ASSET_PARTS = frozenset({"cost", "depreciation", "impairment"})
"""What an asset account holds, so notes 3 and 4 can roll cost and depreciation forward."""
SKP_FILE = Path("skp") / "STAT_Grouping_Category_Code.csv"


def _opt(value: str) -> str | None:
    return value or None


@attrs.frozen
class Account:
    """An account: four-digit bookkeeping account, or an SKP code (three or four digits).

    ``skp`` is the SKP code it reports under (its default artskonto); ``account_class``
    the first digit; ``normal_side`` ``debit`` or ``credit``; ``role`` one of
    :data:`ROLES` or None; ``asset_group``/``asset_part`` place it in notes 3 and 4.
    """

    code: str
    name: str
    skp: str
    account_class: int
    normal_side: str
    role: str | None = None
    asset_group: str | None = None
    asset_part: str | None = None
    source: str = ""


@attrs.frozen
class Chart:
    """The chart: bookkeeping accounts (``accounts``) and the SKP codes (``skp_accounts``)."""

    accounts: Mapping[str, Account] = attrs.field(converter=lambda m: MappingProxyType(dict(m)))
    skp_accounts: Mapping[str, Account] = attrs.field(
        factory=dict, converter=lambda m: MappingProxyType(dict(m)))

    @classmethod
    def from_accounts(cls, accounts: Iterable[Account],
                      skp_accounts: Iterable[Account] = ()) -> Chart:
        """A chart of the given bookkeeping accounts (and SKP codes, if any)."""
        return cls({a.code: a for a in accounts}, {a.code: a for a in skp_accounts})

    def accounts_with_role(self, *roles: str) -> tuple[str, ...]:
        """Codes of the accounts with one of ``roles``, sorted."""
        return tuple(sorted(c for c, a in self.accounts.items() if a.role in roles))

    @property
    def settlement_accounts(self) -> frozenset[str]:
        """KK and mellomværende accounts: the settlement side of the settlement identity."""
        return frozenset(c for c, a in self.accounts.items() if a.role in SETTLEMENT_ROLES)

    @property
    def roles(self) -> dict[str, str | None]:
        """Account → role (None for accounts without one)."""
        return {code: account.role for code, account in self.accounts.items()}

    @property
    def kk_in(self) -> str:
        """The KK innbetalinger account (role ``kk_in``)."""
        return self._single("kk_in")

    @property
    def kk_out(self) -> str:
        """The KK utbetalinger account (role ``kk_out``)."""
        return self._single("kk_out")

    def _single(self, role: str) -> str:
        codes = self.accounts_with_role(role)
        if len(codes) != 1:
            raise ChartError("accounts.csv", None, "role-count",
                             f"expected one account with role {role}, found {list(codes)}")
        return codes[0]

    def with_accounts(self, rows: Iterable[tuple[str, str, str | None, str | None]]) -> Chart:
        """The chart of books whose accounts table holds ``rows`` (code, name, skp, role).

        The books say which accounts exist, their names, SKP codes and roles (a chart
        read from a SAF-T file differs from the standard one); this chart adds what it
        knows of the same codes (asset group and part, source).  Accounts it does not
        know get the normal side of their SKP class.
        """
        found = {}
        for code, name, skp, role in rows:
            known = self.accounts.get(code)
            if known is not None:
                found[code] = attrs.evolve(known, name=name, skp=skp or known.skp, role=role or None)
                continue
            like = next((self.skp_accounts[c] for c in (skp or "", code[:3], code) if c in self.skp_accounts), None)
            side = like.normal_side if like else "debit"
            found[code] = Account(code, name, skp or "", int(code[0]) if code[:1].isdigit() else 0, side,
                                  role or None, source="the books' chart")
        return Chart(found, self.skp_accounts)


# -- loading -----------------------------------------------------------------

def load_skp(folder: Path) -> dict[str, tuple[str, int]]:
    """SKP code -> (name, file line) from the unchanged SKP file."""
    path = folder / SKP_FILE
    if not path.exists():
        raise ChartError(path, None, "missing-file", f"{path} does not exist")
    codes: dict[str, tuple[str, int]] = {}
    problems = Problems()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        for row in reader:
            code = row["GroupingCode"].strip()
            # names contain line breaks in the source file; one line reads better
            name = " ".join(row["CodeDescriptionNOB"].split())
            if not re.fullmatch(r"\d{3,4}", code) or code in codes:
                problems.add(path, reader.line_num, "skp-code", f"bad or duplicate code {code!r}")
                continue
            codes[code] = (name, reader.line_num)
    problems.raise_if_any(ChartError.of)
    return codes


def _normal_sides(folder: Path, problems: Problems) -> list[tuple[int, int, str, int]]:
    path = folder / "normal_side.csv"
    rules = []
    for line, row in read_table(path):
        try:
            lo, hi, side = int(row["account_from"]), int(row["account_to"]), row["normal_side"]
        except (KeyError, ValueError):
            problems.add(path, line, "normal-side", f"bad rule {row}")
            continue
        if side not in ("debit", "credit") or lo > hi:
            problems.add(path, line, "normal-side", f"bad rule {row}")
            continue
        rules.append((lo, hi, side, line))
    return rules


def _normal_side(rules: list[tuple[int, int, str, int]], code: str, problems: Problems) -> str:
    # the narrowest range wins, so exceptions sit beside the class-wide rule
    number = int(code) * 10 if len(code) == 3 else int(code)
    hits = sorted((hi - lo, side) for lo, hi, side, _ in rules if lo <= number <= hi)
    if not hits:
        problems.add("normal_side.csv", None, "normal-side-missing", f"no rule covers {code}")
        return "debit"
    if len(hits) > 1 and hits[0][0] == hits[1][0] and hits[0][1] != hits[1][1]:
        problems.add("normal_side.csv", None, "normal-side-ambiguous", f"two rules for {code}")
    return hits[0][1]


def is_reserved(name: str) -> bool:
    """Whether an SKP name marks the code as reserved (not to be posted)."""
    return name.startswith("Reservert")


def _own_accounts(path: Path | str, rows, skp: Mapping[str, tuple[str, int]], make,
                  problems: Problems) -> dict[str, Account]:
    own: dict[str, Account] = {}
    path = Path(path)
    for line, row in rows:
        code, skp_code = row.get("account", ""), row.get("skp", "")
        role, part = _opt(row.get("role", "")), _opt(row.get("asset_part", ""))
        checks = [
            (not re.fullmatch(r"\d{4}", code), "account-format", f"account {code!r} is not four digits"),
            (code in own, "account-duplicate", f"account {code} defined twice"),
            (skp_code not in skp or is_reserved(skp.get(skp_code, ("",))[0]), "skp-unknown",
             f"account {code}: SKP code {skp_code!r} does not exist (or is reserved)"),
            (code[: len(skp_code)] != skp_code or (len(skp_code) == 4 and code != skp_code), "skp-mismatch",
             f"account {code} cannot report under SKP {skp_code}"),
            (role is not None and role not in ROLES, "role-unknown",
             f"account {code}: role {role!r} not in {sorted(ROLES)}"),
            ((part is None) != (not row.get("asset_group")) or bool(part and part not in ASSET_PARTS), "asset-part",
             f"account {code}: asset_group and asset_part go together; asset_part in {sorted(ASSET_PARTS)}"),
        ]
        broken = [(rule, message) for failed, rule, message in checks if failed]
        for rule, message in broken:
            problems.add(path, line, rule, message)
        if broken:
            continue
        own[code] = make(code, row["name"], skp_code, role=role, asset_group=_opt(row.get("asset_group", "")),
                         asset_part=part, source=row.get("source", "") or f"{path.name}:{line}")
    return own


def load_chart(data_dir: str | Path | None = None, extra_accounts: Iterable[tuple[str, bytes]] = ()) -> Chart:
    """Load and validate the chart from ``data_dir`` (default: the packaged data).

    ``extra_accounts``: further ``accounts.csv`` tables as (name, content) (an agency's
    finer accounts), whose rows add accounts or replace the state table's row of the same
    code.  Every problem of every table is reported at once (:class:`ChartError`).
    """
    folder = resolve_data_dir(data_dir)
    skp = load_skp(folder)
    problems = Problems()
    sides = _normal_sides(folder, problems)

    def make(code: str, name: str, skp_code: str, **extra) -> Account:
        return Account(code, name, skp_code, int(code[0]), _normal_side(sides, code, problems), **extra)

    skp_accounts = [make(c, n, c, source=f"{SKP_FILE.name}:{ln}") for c, (n, ln) in skp.items()]
    base: dict[str, Account] = {}
    for code, (name, line) in skp.items():
        if is_reserved(name):
            continue
        book = code if len(code) == 4 else code + "0"
        if len(code) == 3 and book in skp:
            continue  # 197/198/199: XXX0 is itself a four-digit SKP code (1970, 1980, 1990)
        base[book] = make(book, name, code, source=f"{SKP_FILE.name}:{line}")
    own = _own_accounts(folder / "accounts.csv", read_table(folder / "accounts.csv"), skp, make, problems)
    for name, content in extra_accounts:
        own.update(_own_accounts(name, read_text_table(content, name), skp, make, problems))
    problems.raise_if_any(ChartError.of)
    chart = Chart({**base, **own}, {a.code: a for a in skp_accounts})
    chart.kk_in, chart.kk_out  # noqa: B018 - fails loudly unless exactly one of each
    return chart


@attrs.frozen
class AssetGroup:
    """A group of fixed assets: its roll-forward column in note 3 or 4 and its balance line."""

    name: str
    statement: str
    column: str
    balance_line: str
    useful_life: str = ""
    source: str = ""


def load_asset_groups(path: Path, content: bytes | None = None) -> dict[str, AssetGroup]:
    """Asset groups from an ``asset_groups.csv`` table (checked against the layouts by the bundle)."""
    groups: dict[str, AssetGroup] = {}
    problems = Problems()
    for line, row in table_rows(path, content):
        if row["asset_group"] in groups:
            problems.add(path, line, "asset-group-duplicate", f"{row['asset_group']} listed twice")
            continue
        groups[row["asset_group"]] = AssetGroup(row["asset_group"], row["statement"], row["column"],
                                                row["balance_line"], row.get("useful_life", ""),
                                                row.get("source", ""))
    problems.raise_if_any(ChartError.of)
    return groups
