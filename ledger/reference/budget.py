"""The budget catalogue of a year (statskontoer: kapittel.post) and the Note B rule parameters.

A catalogue lists the statskontoer an agency reports on in one year, with the post
group (``post_groups.csv``: 01-29 operating, 30-49 investment …), the stikkord «kan
overføres» and the agency's relation to the post.  The rule parameters of Note B are
state data (``note_b_rules.csv``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import attrs

from ledger.core.problems import Problems
from ledger.reference.tables import ChartError, header_of, read_table, read_text_table, resolve_data_dir

_STATSKONTO = re.compile(r"^(\d{4})\.(\d{2})$")
RELATIONS = ("own", "belastningsfullmakt", "felleskapittel")
BUDGET_COLUMNS = ("statskonto", "chapter_name", "post_text", "post_group", "kan_overfores",
                  "overslagsbevilgning", "relation")


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

    def in_note_b(self, post: BudgetPost) -> bool:
        """Whether a post is a row of Note B: an own expense post with «kan overføres» or in posts 01-29."""
        lo, hi = self.five_percent_posts
        return post.side == "expense" and post.relation == "own" and (post.kan_overfores or lo <= int(post.post) <= hi)

    def subject_to_five_percent(self, post: BudgetPost) -> bool:
        """Whether the 5 % cap applies: own expense posts 01-29 except 24, without «kan overføres»."""
        number = int(post.post)
        lo, hi = self.five_percent_posts
        return (post.side == "expense" and post.relation == "own" and lo <= number <= hi
                and number not in self.excluded_posts and not post.kan_overfores)


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


@attrs.frozen
class PostGroup:
    """A rule of ``post_groups.csv``: chapters and posts of one side that form a post group."""

    side: str
    chapters: tuple[int, int]
    posts: tuple[int, int]
    post_group: str

    def holds(self, chapter: int, post: int) -> bool:
        """Whether kapittel ``chapter`` post ``post`` is in this group."""
        return self.chapters[0] <= chapter <= self.chapters[1] and self.posts[0] <= post <= self.posts[1]


def load_post_groups(data_dir: str | Path | None = None) -> tuple[PostGroup, ...]:
    """The post-group rules (``post_groups.csv``)."""
    path = resolve_data_dir(data_dir) / "post_groups.csv"
    return tuple(PostGroup(r["side"], (int(r["chapter_from"]), int(r["chapter_to"])),
                           (int(r["post_from"]), int(r["post_to"])), r["post_group"])
                 for _, r in read_table(path))


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


def _flag(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def parse_budget(content: bytes, name: str, year: int, groups: tuple[PostGroup, ...],
                 rules: NoteBRules | None) -> BudgetCatalogue:
    """Read one catalogue (the content of ``budget.csv``); every problem of every row is
    reported (:class:`ChartError`, naming ``name``)."""
    problems = Problems()
    posts: list[BudgetPost] = []
    seen: set[str] = set()
    path = name
    missing = [c for c in BUDGET_COLUMNS if c not in header_of(content)]
    if missing:
        raise ChartError(name, 1, "header", f"missing column(s): {', '.join(missing)}")
    for line, row in read_text_table(content, name):
        match = _STATSKONTO.match(row["statskonto"])
        if not match:
            problems.add(path, line, "statskonto-format", f"{row['statskonto']!r} is not KKKK.PP")
            continue
        if row["statskonto"] in seen:
            problems.add(path, line, "statskonto-duplicate", f"{row['statskonto']} listed twice")
            continue
        seen.add(row["statskonto"])
        chapter, post = match.groups()
        rule = next((g for g in groups if g.holds(int(chapter), int(post))), None)
        flags = {c: _flag(row[c]) for c in ("kan_overfores", "overslagsbevilgning")}
        found = [
            (rule is None or row["post_group"] != rule.post_group, "post-group",
             f"{row['statskonto']}: post group {row['post_group']!r}, rule says "
             f"{rule.post_group if rule else None!r}"),
            (row["relation"] not in RELATIONS, "relation", f"unknown relation {row['relation']!r}"),
            *((flag is None, "flag", f"{column} must be yes or no, not {row[column]!r}")
              for column, flag in flags.items()),
        ]
        broken = [(r, m) for failed, r, m in found if failed]
        for r, m in broken:
            problems.add(path, line, r, m)
        if broken or rule is None:
            continue
        posts.append(BudgetPost(row["statskonto"], chapter, post, row["chapter_name"], row["post_text"],
                                rule.side, rule.post_group, bool(flags["kan_overfores"]),
                                bool(flags["overslagsbevilgning"]), row["relation"], row.get("source", "")))
    problems.raise_if_any(ChartError.of)
    return BudgetCatalogue(year, tuple(posts), rules)
