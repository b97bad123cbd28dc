"""Large SAF-T files (issue #20): the generator, a parser that holds one record at a time, and
(``-m slow``) the time and memory of importing a generated 100 MB file."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from ledger.saft import SaftOptions, read, read_saft
from tests.support.saft_helpers import generated_transaction, write_generated_saft


def test_generated_file_is_valid_and_consistent(tmp_path):
    path = tmp_path / "g.xml"
    totals = write_generated_saft(path, 300)
    batches, violations, findings = read_saft(path, SaftOptions(strict=True))
    assert violations == [] and findings == []  # control totals and closing balances as stated
    journal = batches[1].lines
    assert journal["voucher"].nunique() == 300 and len(journal) > totals["lines"]  # split lines
    assert int(journal["amount"].clip(lower=0).sum()) >= totals["debit"]
    # Transaction 0 is an invoice whose cost is split over departments 100 and 101 in two shares.
    account, amount, _, shares = generated_transaction(0)[0]
    lines = journal[(journal["voucher"] == "G0") & (journal["account"] == account)]
    assert lines["amount"].tolist() == [s[2] for s in shares] and sum(s[2] for s in shares) == amount
    assert [json.loads(d) for d in lines["dims"]] == [{"A": "100"}, {"A": "101"}]


def test_the_parser_holds_a_few_records_whatever_the_size(tmp_path, monkeypatch):
    release = read._release
    held: list[int] = []

    def counting(element):
        release(element)
        held.append(len(element.getparent()))  # this record and those libxml2 has read ahead

    monkeypatch.setattr(read, "_release", counting)
    most = {}
    for transactions in (200, 4000):
        path = tmp_path / f"g{transactions}.xml"
        write_generated_saft(path, transactions)
        held.clear()
        read.parse_saft(path)
        assert len(held) == transactions + 8  # every transaction and account released
        most[transactions] = max(held)
    # The read-ahead (a few tens of kilobytes), not the file, bounds what the tree holds.
    assert most[4000] <= 64 and most[4000] <= most[200] + 32


@pytest.mark.slow
def test_import_of_a_100_mb_file_in_bounded_time_and_memory(tmp_path):
    path = tmp_path / "g.xml"
    write_generated_saft(path, 95_000)  # about 1 050 bytes a transaction
    size = path.stat().st_size
    assert size > 100_000_000
    books = tmp_path / "b.sqlite"
    ledger = [sys.executable, "-m", "ledger", "--books", str(books)]
    subprocess.run([*ledger, "init", "--chart-from", str(path)], check=True, capture_output=True)
    # The import runs under a wrapper, so that RUSAGE_CHILDREN sees it alone.
    wrapper = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
               "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", wrapper, *ledger, "import", str(path)],
                          check=True, capture_output=True, text=True)
    seconds, peak_mb = time.monotonic() - start, int(done.stdout.split()[-1]) / 1024
    print(f"import of {size / 1e6:.0f} MB: {seconds:.1f} s, peak RSS {peak_mb:.0f} MB")
    # Measured on the project's 2-core machine: 17-25 s and 277 MB (the lines of one batch,
    # checked whole and posted in one transaction, about 250 bytes a posted line; the
    # parser itself holds one record at a time).  Before issue #20: 2.6x the file.
    assert seconds < 60
    assert peak_mb < 1.5 * size / 2**20 + 150
