"""The chart of accounts and the budget catalogue, loaded from ``chart_of_accounts/``.

Accounts come from three tables (see ``chart_of_accounts/README.md``):

- ``skp/STAT_Grouping_Category_Code.csv``: the state's standard chart (SKP), unchanged;
- ``normal_side.csv``: the normal side of every account, by account range;
- ``accounts.csv``: the agency's finer accounts, names and roles.

Bookkeeping accounts are four digits (docs/DESIGN.md): ``XXX0`` for every three-digit
SKP code, each four-digit SKP code as itself, plus the rows of ``accounts.csv``.
SKP codes named "Reservert…" get no bookkeeping account: nothing may be posted there.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType

import attrs

ROLES = frozenset({"kk_in", "kk_out", "mellomvaerende", "avregning"})
"""The fixed account roles (DESIGN.md 'Accounts')."""
SETTLEMENT_ROLES = frozenset({"kk_in", "kk_out", "mellomvaerende"})
"""Roles whose accounts are the settlement accounts of the settlement identity."""
ASSET_PARTS = frozenset({"cost", "depreciation", "impairment"})
"""What an asset account holds, so notes 3 and 4 can roll cost and depreciation forward."""
SKP_FILE = Path("skp") / "STAT_Grouping_Category_Code.csv"
_STATSKONTO = re.compile(r"^(\d{4})\.(\d{2})$")


class ChartError(ValueError):
    """A chart, budget, layout or mapping table breaks a rule: names file, row and rule."""

    def __init__(self, file: str | Path, row: int | None, rule: str, message: str):
        self.file, self.row, self.rule = str(file), row, rule
        where = f"{Path(file).name}:{row}" if row is not None else Path(file).name
        super().__init__(f"{where}: [{rule}] {message}")


def resolve_data_dir(path: str | Path | None = None) -> Path:
    """The data directory to read: ``path``, or the packaged ``chart_of_accounts``."""
    if path is not None:
        return Path(path)
    from chart_of_accounts import DATA_DIR  # packaged data; imported late so tests can swap dirs

    return DATA_DIR


def read_table(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV as (line number, stripped dict); line 1 is the header."""
    if not path.exists():
        raise ChartError(path, None, "missing-file", f"{path} does not exist")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


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

    def has_account(self, code: str) -> bool:
        """Whether ``code`` is a bookkeeping account of this chart."""
        return code in self.accounts

    def accounts_with_role(self, role: str) -> tuple[str, ...]:
        """Codes of the accounts with ``role``, sorted."""
        return tuple(sorted(c for c, a in self.accounts.items() if a.role == role))

    @property
    def settlement_accounts(self) -> frozenset[str]:
        """KK and mellomværende accounts: the settlement side of the settlement identity."""
        return frozenset(c for c, a in self.accounts.items() if a.role in SETTLEMENT_ROLES)

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


# -- loading -----------------------------------------------------------------

def load_skp(folder: Path) -> dict[str, tuple[str, int]]:
    """SKP code -> (name, file line) from the unchanged SKP file."""
    path = folder / SKP_FILE
    if not path.exists():
        raise ChartError(path, None, "missing-file", f"{path} does not exist")
    codes: dict[str, tuple[str, int]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        for row in reader:
            code = row["GroupingCode"].strip()
            # names contain line breaks in the source file; one line reads better
            name = " ".join(row["CodeDescriptionNOB"].split())
            if not re.fullmatch(r"\d{3,4}", code) or code in codes:
                raise ChartError(path, reader.line_num, "skp-code", f"bad or duplicate code {code!r}")
            codes[code] = (name, reader.line_num)
    return codes


def _normal_sides(folder: Path) -> list[tuple[int, int, str, int]]:
    path = folder / "normal_side.csv"
    rules = []
    for line, row in read_table(path):
        lo, hi, side = int(row["account_from"]), int(row["account_to"]), row["normal_side"]
        if side not in ("debit", "credit") or lo > hi:
            raise ChartError(path, line, "normal-side", f"bad rule {row}")
        rules.append((lo, hi, side, line))
    return rules


def _normal_side(rules: list[tuple[int, int, str, int]], code: str) -> str:
    # the narrowest range wins, so exceptions sit beside the class-wide rule
    number = int(code) * 10 if len(code) == 3 else int(code)
    hits = sorted((hi - lo, side) for lo, hi, side, _ in rules if lo <= number <= hi)
    if not hits:
        raise ChartError("normal_side.csv", None, "normal-side-missing", f"no rule covers {code}")
    if len(hits) > 1 and hits[0][0] == hits[1][0] and hits[0][1] != hits[1][1]:
        raise ChartError("normal_side.csv", None, "normal-side-ambiguous", f"two rules for {code}")
    return hits[0][1]


def is_reserved(name: str) -> bool:
    """Whether an SKP name marks the code as reserved (not to be posted)."""
    return name.startswith("Reservert")


def load_chart(data_dir: str | Path | None = None) -> Chart:
    """Load and validate the chart from ``data_dir`` (default: the packaged data)."""
    folder = resolve_data_dir(data_dir)
    skp = load_skp(folder)
    sides = _normal_sides(folder)

    def make(code: str, name: str, skp_code: str, **extra) -> Account:
        return Account(code, name, skp_code, int(code[0]), _normal_side(sides, code), **extra)

    skp_accounts = [make(c, n, c, source=f"{SKP_FILE.name}:{ln}") for c, (n, ln) in skp.items()]
    base: dict[str, Account] = {}
    for code, (name, line) in skp.items():
        if is_reserved(name):
            continue
        book = code if len(code) == 4 else code + "0"
        if len(code) == 3 and book in skp:
            continue  # 197/198/199: XXX0 is itself a four-digit SKP code (1970, 1980, 1990)
        base[book] = make(book, name, code, source=f"{SKP_FILE.name}:{line}")

    path = folder / "accounts.csv"
    own: dict[str, Account] = {}
    for line, row in read_table(path):
        code, skp_code = row["account"], row["skp"]
        if not re.fullmatch(r"\d{4}", code):
            raise ChartError(path, line, "account-format", f"account {code!r} is not four digits")
        if code in own:
            raise ChartError(path, line, "account-duplicate", f"account {code} defined twice")
        if skp_code not in skp or is_reserved(skp[skp_code][0]):
            raise ChartError(path, line, "skp-unknown",
                             f"account {code}: SKP code {skp_code!r} does not exist (or is reserved)")
        if code[: len(skp_code)] != skp_code or (len(skp_code) == 4 and code != skp_code):
            raise ChartError(path, line, "skp-mismatch", f"account {code} cannot report under SKP {skp_code}")
        role, part = _opt(row["role"]), _opt(row.get("asset_part", ""))
        if role is not None and role not in ROLES:
            raise ChartError(path, line, "role-unknown", f"account {code}: role {role!r} not in {sorted(ROLES)}")
        if (part is None) != (not row.get("asset_group")) or (part and part not in ASSET_PARTS):
            raise ChartError(path, line, "asset-part", f"account {code}: asset_group and asset_part "
                             f"go together; asset_part in {sorted(ASSET_PARTS)}")
        own[code] = make(code, row["name"], skp_code, role=role, asset_group=_opt(row["asset_group"]),
                         asset_part=part, source=row.get("source", ""))
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


def load_asset_groups(data_dir: str | Path | None = None) -> dict[str, AssetGroup]:
    """Asset groups from ``asset_groups.csv`` (validated against layouts by ``check_all``)."""
    path = resolve_data_dir(data_dir) / "asset_groups.csv"
    groups: dict[str, AssetGroup] = {}
    for line, row in read_table(path):
        if row["asset_group"] in groups:
            raise ChartError(path, line, "asset-group-duplicate", f"{row['asset_group']} listed twice")
        groups[row["asset_group"]] = AssetGroup(row["asset_group"], row["statement"], row["column"],
                                                row["balance_line"], row.get("useful_life", ""),
                                                row.get("source", ""))
    return groups


# -- budget catalogue --------------------------------------------------------

@attrs.frozen
class BudgetPost:
    """A statskonto (kapittel.post) the agency reports on in one year.

    ``side`` is ``expense`` (chapters 0001-2999) or ``income`` (3000-5999);
    ``post_group`` as in ``post_groups.csv``; ``relation`` is ``own`` (the agency's
    appropriation), ``belastningsfullmakt`` (received charge authority) or
    ``felleskapittel`` (common chapters 1633, 5309, 5700).
    """

    statskonto: str
    chapter: str
    post: str
    chapter_name: str
    post_text: str
    side: str
    post_group: str
    kan_overfores: bool
    overslagsbevilgning: bool
    relation: str
    source: str = ""


@attrs.frozen
class NoteBRules:
    """The parameters of the Note B carry-over rule (``note_b_rules.csv``)."""

    five_percent_posts: tuple[int, int]
    excluded_posts: tuple[int, ...]
    rate_percent: int
    kan_overfores_cap_years: int
    floor: str

    def subject_to_five_percent(self, post: BudgetPost) -> bool:
        """Whether the 5 % cap applies: own expense posts 01-29 except 24, without «kan overføres»."""
        number = int(post.post)
        lo, hi = self.five_percent_posts
        return (post.side == "expense" and post.relation == "own" and lo <= number <= hi and number not in self.excluded_posts
                and not post.kan_overfores)


@attrs.frozen
class BudgetCatalogue:
    """The statskontoer of one year, in file order, with the Note B rule parameters."""

    year: int
    posts: tuple[BudgetPost, ...]
    note_b: NoteBRules | None = None

    def __contains__(self, statskonto: object) -> bool:
        return any(p.statskonto == statskonto for p in self.posts)

    def __iter__(self) -> Iterator[BudgetPost]:
        return iter(self.posts)

    def __len__(self) -> int:
        return len(self.posts)

    def get(self, statskonto: str) -> BudgetPost | None:
        """The post for ``statskonto`` (``KKKK.PP``), or None."""
        return next((p for p in self.posts if p.statskonto == statskonto), None)


def _post_groups(folder: Path) -> list[tuple[str, int, int, int, int, str]]:
    return [(r["side"], int(r["chapter_from"]), int(r["chapter_to"]), int(r["post_from"]),
             int(r["post_to"]), r["post_group"]) for _, r in read_table(folder / "post_groups.csv")]


def load_note_b_rules(data_dir: str | Path | None = None) -> NoteBRules:
    """The Note B rule parameters from ``note_b_rules.csv``."""
    path = resolve_data_dir(data_dir) / "note_b_rules.csv"
    p = {row["parameter"]: row["value"] for _, row in read_table(path)}
    try:
        return NoteBRules((int(p["five_percent_post_from"]), int(p["five_percent_post_to"])),
                          tuple(int(x) for x in p["five_percent_excluded_posts"].split("|") if x),
                          int(p["five_percent_rate_percent"]), int(p["kan_overfores_cap_years"]),
                          p["floor"])
    except (KeyError, ValueError) as exc:
        raise ChartError(path, None, "note-b-rules", f"missing or bad parameter: {exc}") from None


def available_budget_years(data_dir: str | Path | None = None) -> tuple[int, ...]:
    """Years that have a ``budget_<year>.csv`` catalogue."""
    folder = resolve_data_dir(data_dir)
    return tuple(sorted(int(p.stem.split("_")[1]) for p in folder.glob("budget_[0-9][0-9][0-9][0-9].csv")))


def _flag(path: Path, line: int, value: str, column: str) -> bool:
    if value not in ("yes", "no"):
        raise ChartError(path, line, "flag", f"{column} must be yes or no, not {value!r}")
    return value == "yes"


def load_budget(year: int, data_dir: str | Path | None = None) -> BudgetCatalogue | None:
    """The budget catalogue of ``year``, or None when there is none."""
    folder = resolve_data_dir(data_dir)
    path = folder / f"budget_{year}.csv"
    if not path.exists():
        return None
    groups = _post_groups(folder)
    posts: list[BudgetPost] = []
    for line, row in read_table(path):
        match = _STATSKONTO.match(row["statskonto"])
        if not match:
            raise ChartError(path, line, "statskonto-format", f"{row['statskonto']!r} is not KKKK.PP")
        if row["statskonto"] in (p.statskonto for p in posts):
            raise ChartError(path, line, "statskonto-duplicate", f"{row['statskonto']} listed twice")
        chapter, post = match.groups()
        side, group = next(((s, g) for s, c0, c1, p0, p1, g in groups
                            if c0 <= int(chapter) <= c1 and p0 <= int(post) <= p1), (None, None))
        if group is None or row["post_group"] != group:
            raise ChartError(path, line, "post-group",
                             f"{row['statskonto']}: post group {row['post_group']!r}, rule says {group!r}")
        if row["relation"] not in ("own", "belastningsfullmakt", "felleskapittel"):
            raise ChartError(path, line, "relation", f"unknown relation {row['relation']!r}")
        posts.append(BudgetPost(row["statskonto"], chapter, post, row["chapter_name"], row["post_text"],
                                side, group, _flag(path, line, row["kan_overfores"], "kan_overfores"),
                                _flag(path, line, row["overslagsbevilgning"], "overslagsbevilgning"),
                                row["relation"], row.get("source", "")))
    return BudgetCatalogue(year, tuple(posts), load_note_b_rules(folder))


def load_common_chapters(data_dir: str | Path | None = None) -> dict[str, str]:
    """Common chapters (felleskapitler) with one Treasury account each: chapter → account.

    From ``common_chapters.csv``.  Chapter 5309 is not there: it holds collection (84x)
    as well as group life (1985), so its lines must carry their artskonto.
    """
    path = resolve_data_dir(data_dir) / "common_chapters.csv"
    return {row["chapter"]: row["account"] for _, row in read_table(path)}


def load_statskonto_lines(data_dir: str | Path | None = None) -> dict[str, dict[str, str]]:
    """Statement lines fed by a statskonto (``statskonto_lines.csv``): statement → {statskonto: line_id}.

    E.g. note 9's grant schemes: the grant lines of a statskonto go to its scheme line.
    """
    found: dict[str, dict[str, str]] = {}
    for _, row in read_table(resolve_data_dir(data_dir) / "statskonto_lines.csv"):
        found.setdefault(row["statement"], {})[row["statskonto"]] = row["line_id"]
    return found


def load_whole_voucher_accounts(data_dir: str | Path | None = None) -> tuple[tuple[str, str], ...]:
    """Account ranges whose vouchers the statements read whole (``whole_vouchers.csv``).

    The statements read every other line only in sums per account, statskonto,
    artskonto and dimensions (:meth:`ledger.store.Books.compact_lines`).  A
    statement that looks at vouchers (which lines share one) names its accounts here.
    """
    path = resolve_data_dir(data_dir) / "whole_vouchers.csv"
    ranges = []
    for line, row in read_table(path):
        low, high = row["from"], row["to"]
        if not (low.isdigit() and high.isdigit() and len(low) == len(high) == 4 and low <= high):
            raise ChartError(path, line, "account-range", f"not a range of four-digit accounts: {low}-{high}")
        ranges.append((low, high))
    return tuple(ranges)
