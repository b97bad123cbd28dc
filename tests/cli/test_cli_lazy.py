"""The command line loads heavy modules only for the commands that need them.

``ledger balance`` reads the books' totals with sqlite3 and prints them with the
standard library: pandas must stay unloaded (a contract, not a timing).
"""

from __future__ import annotations

import importlib
import subprocess
import sys

from tests.support.small import SMALL_BUDGET, SMALL_CHART, batch, voucher
from ledger.cli import COMMAND_MODULES, cli
from ledger.books.store import Books
from ledger.export.trial_balance import render


def test_every_lazy_command_is_in_its_module():
    for name, module_name in COMMAND_MODULES.items():
        names = {command.name for command in importlib.import_module(module_name).COMMANDS}
        assert name in names, (name, module_name)
    assert cli.get_command(None, "close").name == "close"


def test_balance_leaves_pandas_unloaded(tmp_path):
    path = tmp_path / "b.sqlite"
    with Books.create(path, SMALL_CHART, SMALL_BUDGET) as books:
        books.post(batch(voucher("A", ("5000", 1000_00, "0670.01"), ("1940", -1000_00))))
    probe = (
        "import sys\n"
        "from ledger.cli import cli\n"
        f"cli(['--books', {str(path)!r}, 'balance', '2024', '--by', 'statskonto'], standalone_mode=False)\n"
        "loaded = [m for m in ('pandas', 'numpy', 'pyarrow') if m in sys.modules\n"
        "          and type(sys.modules[m]).__name__ != '_LazyModule']\n"
        "print('LOADED', loaded)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "0670.01" in out and "1000.00" in out
    assert out.strip().endswith("LOADED []")


def test_render_table_csv_json():
    rows = [("1940", -250_00), ("5000", 250_00)]
    names = {"5000": "Lønn"}
    assert render(rows, names, "account", "table").splitlines() == [
        "account name  debit credit balance",
        "   1940        0.00 250.00 -250.00",
        "   5000 Lønn 250.00   0.00  250.00",
        "    Sum      250.00 250.00    0.00",
    ]
    assert render(rows, names, "account", "csv") == (
        "account,name,debit,credit,balance\n1940,,0.00,250.00,-250.00\n5000,Lønn,250.00,0.00,250.00\n")
    assert '"name": "Lønn"' in render(rows, names, "account", "json")
