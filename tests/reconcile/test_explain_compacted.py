"""explain over the year's totals lists the same posted lines as explain over every line (#16).

``ledger explain YEAR … --vouchers`` reads a year as its totals (no voucher read whole), finds
the rows behind the figure, and reads from the segments only the lines those rows sum, a page
at a time.  For every figure of every statement the lines it lists (all pages), and the figure,
must be those that reading every line gives; a statement that groups by voucher must refuse the
summed rows (``VouchersNotWhole``) rather than give a figure, and is then read as the close
reads it."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from ledger.books.store import Books
from ledger.reconcile.explain import explain, posted_lines
from ledger.statements.base import VouchersNotWhole
from ledger.statements.loading import load_year
from ledger.statements.registry import statements_for
from ledger.books.setup import reference_of
from tests.support.annual_helpers import make_books
from tests.support.books import REFERENCE
from tests.support.examples import init_example

SHOWN = ["voucher", "date", "account", "statskonto", "artskonto", "amount", "text", "presented"]


def _years(books: Books, year: int):
    """The year read three ways: every line, as its totals alone, and as the close reads it."""
    reference = reference_of(books, REFERENCE)
    return (load_year(books, year, reference, every_line=True),
            load_year(books, year, reference, whole_vouchers=()),
            load_year(books, year, reference))


def _listed(books: Books, data, result, page_size: int | None = 50) -> list[tuple]:
    """Every page of the posted lines behind ``result``, as sorted comparable rows (one page
    holding them all when ``page_size`` is None)."""
    page_size = page_size or max(result.line_count, 1)
    pages = [posted_lines(result, data, books, page, page_size) for page in range(1, result.pages(page_size) + 1)]
    assert all(len(p) == page_size for p in pages[:-1])
    frame = pd.concat(pages, ignore_index=True) if pages else pd.DataFrame(columns=SHOWN)
    return sorted(tuple(str(v) if pd.notna(v) else "" for v in row)
                  for row in frame.reindex(columns=SHOWN).itertuples(index=False))


def _mismatches(books: Books, year: int, every_figure: bool = True,
                page_size: int | None = 50) -> tuple[list, int, int]:
    """The figures whose lines or amount differ between every line and the lean read (with the
    close's read where the lean one refuses), how many figures were compared and refused;
    every column of every line, or (``every_figure`` false) the detail lines in their first
    column (a sum explains its terms again: the slow sweep takes them)."""
    every, lean, closing = _years(books, year)
    found, compared, refused = [], 0, 0
    for name, layout in every.layouts.items():
        function = statements_for(every.reference)[name]
        full_table, closing_table = {name: function(every)}, {name: function(closing)}
        try:
            start, tables = lean, {name: function(lean)}
        except VouchersNotWhole:
            refused += 1
            start, tables = closing, closing_table
        for line in layout.lines if every_figure else [l for l in layout.lines if l.kind == "detail"]:
            for column in layout.columns if every_figure else layout.columns[:1]:
                data = start
                try:
                    result = explain(data, tables, name, line.line_id, column)
                except VouchersNotWhole:  # a rule of explain groups by voucher
                    refused += 1
                    data = closing
                    result = explain(closing, closing_table, name, line.line_id, column)
                expected = explain(every, full_table, name, line.line_id, column)
                compared += 1
                if result.figure != expected.figure or result.line_count != len(expected.lines) or (
                        _listed(books, data, result, page_size) != _listed(books, every, expected, page_size)):
                    found.append((name, line.line_id, column))
    return found, compared, refused


@pytest.fixture(scope="module")
def small_books(tmp_path_factory):
    return make_books(tmp_path_factory.mktemp("books") / "books.sqlite")


def test_every_line_lists_the_lines_that_every_line_gives(small_books):
    with Books.open(small_books) as books:
        found, compared, refused = _mismatches(books, 2024, every_figure=False)
    assert compared > 150 and found == []
    assert refused > 0   # the asset notes and 7A group by voucher: they refuse the totals


@pytest.mark.slow
def test_every_figure_lists_the_lines_that_every_line_gives(small_books):
    with Books.open(small_books) as books:
        found, compared, _ = _mismatches(books, 2024)
    assert compared > 500 and found == []


def test_a_statement_that_groups_by_voucher_refuses_the_totals(small_books):
    with Books.open(small_books) as books:
        _, lean, closing = _years(books, 2024)
    note_3 = statements_for(lean.reference)["note_3"]
    with pytest.raises(VouchersNotWhole, match="asset roll-forward"):
        note_3(lean)
    assert not note_3(closing).empty


class _CountingBooks:
    """The books, counting the lines of each read of whole lines."""

    def __init__(self, books: Books):
        self.books, self.reads = books, []

    def line_ids_of_keys(self, year, keys, skip_ids=(), limit=None, from_end=False):
        self.ends = getattr(self, "ends", []) + [from_end]
        return self.books.line_ids_of_keys(year, keys, skip_ids, limit, from_end)

    def lines_with_ids(self, year, ids):
        self.reads.append(len(ids))
        return self.books.lines_with_ids(year, ids)


def test_a_page_reads_only_the_lines_it_shows(small_books):
    with Books.open(small_books) as books:
        _, lean, _ = _years(books, 2024)
        tables = {"bevilgning": statements_for(lean.reference)["bevilgning"](lean)}
        result = explain(lean, tables, "bevilgning", "netto_rapportert", "regnskap")
        counting = _CountingBooks(books)
        first = posted_lines(result, lean, counting, 1, 2)
        second = posted_lines(result, lean, counting, 2, 2)
        every = posted_lines(result, lean, books, 1, result.line_count)
    assert len(first) == 2 and len(second) <= 2 and counting.reads and max(counting.reads) <= 2
    assert result.pages(2) == -(-result.line_count // 2)
    assert pd.concat([first, second], ignore_index=True).equals(every.iloc[:len(first) + len(second)])


def test_every_page_in_order_from_either_end(small_books):
    # a page in the latter half is read from the last segment back: pages laid end to end give
    # exactly the lines of one page that holds them all, in the same order
    with Books.open(small_books) as books:
        _, lean, _ = _years(books, 2024)
        tables = {"bevilgning": statements_for(lean.reference)["bevilgning"](lean)}
        result = explain(lean, tables, "bevilgning", "netto_rapportert", "regnskap")
        every = posted_lines(result, lean, books, 1, result.line_count)
        assert result.line_count >= 4
        for size in (1, 2, result.line_count // 2, result.line_count):
            counting = _CountingBooks(books)
            pages = [posted_lines(result, lean, counting, page, size) for page in range(1, result.pages(size) + 1)]
            assert pd.concat(pages, ignore_index=True).equals(every), size
            # both directions taken when there is a second page
            assert any(counting.ends) == (result.pages(size) > 1) and not all(counting.ends), size
            assert max(counting.reads) <= size


def test_pages_from_the_end_where_read_lines_and_summed_rows_mix(small_books):
    # a figure behind both lines read whole (ids) and summed rows, or summed rows of both signs:
    # the pages from the end must still follow the whole list
    with Books.open(small_books) as books:
        _, _, closing = _years(books, 2024)
        mixed = 0
        for name in ("bevilgning", "artskonto", "resultat", "balanse"):
            # as the close reads the year: the asset and collection vouchers whole, the rest summed
            data, table = closing, statements_for(closing.reference)[name](closing)
            for line in data.layouts[name].lines:
                try:
                    result = explain(data, {name: table}, name, line.line_id, data.layouts[name].columns[0])
                except VouchersNotWhole:
                    continue
                rows = result.lines
                if "id" not in rows or not ((rows["id"] < 0).any() and ((rows["id"] >= 0).any()
                                                                      or rows["sign"].nunique() > 1)):
                    continue
                mixed += 1
                every = posted_lines(result, data, books, 1, result.line_count)
                pages = [posted_lines(result, data, books, page, 3) for page in range(1, result.pages(3) + 1)]
                assert pd.concat(pages, ignore_index=True).equals(every), (name, line.line_id)
    assert mixed >= 3


@pytest.mark.slow
@pytest.mark.parametrize("example", ["imdi", "sbt"])
def test_example_books_list_the_same_lines(example, imdi_2024_template, tmp_path_factory):
    if example == "imdi":
        path = tmp_path_factory.mktemp("imdi") / "books.sqlite"
        shutil.copy(imdi_2024_template, path)
    else:
        path = init_example(tmp_path_factory, "sbt")
    with Books.open(path) as books:
        # one page per figure: paging is proven on the small books; here a figure of 40 000 lines
        # in pages of 50 would read its segments 800 times
        found, compared, _ = _mismatches(books, 2024, page_size=None)
    assert found == []
    assert compared > {"imdi": 800, "sbt": 500}[example]   # every line and column: IMDi 837, SBT 675
