"""The deep audit's voucher check, typed: each batch's distinct vouchers against what it posted,
and no voucher in two batches (found from the segments' distinct ids in one hash pass)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from ledger.books.audit import _check_vouchers, _Problem, _Seen


def _seen(**segments_of_batches) -> _Seen:
    """``b1=[["V1", "V2"], ["V2", "V3"]]``: batch 1's segments and their distinct voucher ids."""
    seen = _Seen()
    for name, found in segments_of_batches.items():
        seen.vouchers[int(name[1:])] = [pa.array(ids, pa.string()) for ids in found]
    return seen


def _posted(**counts) -> dict:
    return {"ranges": {int(name[1:]): (0, 0, n) for name, n in counts.items()}}


def test_a_voucher_across_two_segments_of_its_batch_counts_once():
    _check_vouchers(_posted(b1=3, b2=1), _seen(b1=[["V1", "V2"], ["V2", "V3"]], b2=[["W1"]]))


def test_a_batch_holding_more_vouchers_than_it_posted_is_found():
    with pytest.raises(_Problem, match="batch 2: its lines hold 2 vouchers, it posted 1"):
        _check_vouchers(_posted(b1=2, b2=1), _seen(b1=[["V1", "V2"]], b2=[["W1"], ["W2"]]))


def test_a_voucher_in_two_batches_is_found():
    with pytest.raises(_Problem, match=r"voucher V2 is in two batches \(1 and 3\)"):
        _check_vouchers(_posted(b1=2, b3=2), _seen(b1=[["V1", "V2"]], b3=[["W1"], ["V2"]]))


def test_no_lines_no_vouchers():
    _check_vouchers(_posted(b1=0), _seen())
