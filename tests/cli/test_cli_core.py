"""End-to-end tests of the core commands: init, import, balance, audit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.cli import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "small-2024.csv"


@pytest.fixture
def run(tmp_path):
    """Run the CLI on books in tmp_path; returns the click Result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--books", str(tmp_path / "b.sqlite"), *args], catch_exceptions=False)
    return invoke


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_init_import_balance_audit(run):
    assert run("init").exit_code == 0
    result = run("import", str(EXAMPLE))
    assert result.exit_code == 0 and "6 vouchers, 16 lines" in result.output
    csv_out = run("balance", "2024", "--format", "csv").output.splitlines()
    assert csv_out[0] == "account,name,debit,credit,balance"
    assert "1940,Konsernkonto Norges Bank - utbetalinger,0.00,2075.00,-2075.00" in csv_out
    assert sum(float(line.rsplit(",", 1)[1]) for line in csv_out[1:]) == 0
    by_sk = json.loads(run("balance", "2024", "--by", "statskonto", "--format", "json").output)
    assert {row["statskonto"]: row["balance"] for row in by_sk}["0670.01"] == "1241.00"
    assert run("audit").exit_code == 0


def test_init_refuses_existing_books(run):
    run("init")
    result = run("init")
    assert result.exit_code == 1 and "refusing to overwrite" in result.output


def test_violations_go_to_stderr_exit_1_and_change_nothing(run, tmp_path):
    run("init")
    run("import", str(EXAMPLE))
    before = run("balance", "2024", "--format", "csv").output
    bad = write(tmp_path, "bad.csv", (
        "date,voucher,account,amount,statskonto,artskonto,text\n"
        "2024-05-01,X1,5000,100.00,0670.01,,ok line\n"
        "2024-05-01,X1,1940,-100.00,,,ok line\n"
        "2024-05-02,X2,5000,100.00,0670.01,,unbalanced\n"
        "2024-05-02,X2,1940,-99.99,,,unbalanced\n"
        "2024-05-03,X3,9999,1.005,0670.01,,bad amount and account\n"))
    result = run("import", bad)
    assert result.exit_code == 1
    assert "bad.csv:4: voucher X2 [voucher-balance]" in result.stderr
    assert "bad.csv:6: voucher X3 [amount]" in result.stderr
    assert "nothing posted" in result.stderr
    assert run("balance", "2024", "--format", "csv").output == before


def test_more_than_fifty_violations_are_counted(run, tmp_path):
    run("init")
    rows = "".join(f"2024-05-01,V{i},5000,1.00,0670.01,,x\n" for i in range(60))
    result = run("import", write(tmp_path, "many.csv", "date,voucher,account,amount,statskonto,artskonto,text\n" + rows))
    assert result.exit_code == 1 and "... and 70 more" in result.stderr
    assert "many.csv: 120 violation(s)" in result.stderr


@pytest.mark.parametrize("content, message", [
    (b"date,voucher\n2024-01-01,X\n", "missing column(s)"),
    (b"\xff\xfe garbage", "not UTF-8"),
])
def test_unreadable_files_are_refused(run, tmp_path, content, message):
    run("init")
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    result = run("import", str(path))
    assert result.exit_code == 1 and message in result.stderr


def test_usage_errors_exit_2(run):
    assert run("balance").exit_code == 2
    assert run("balance", "2024", "--by", "colour").exit_code == 2


def test_missing_books_is_a_data_error(run):
    result = run("balance", "2024")
    assert result.exit_code == 1 and "ledger init" in result.output


def test_real_subprocess_with_environment_books(tmp_path):
    env = {**os.environ, "LEDGER_BOOKS": str(tmp_path / "env.sqlite")}
    command = [sys.executable, "-m", "ledger"]
    for args in (["init"], ["import", str(EXAMPLE)], ["audit"]):
        done = subprocess.run(command + args, env=env, capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    done = subprocess.run(command + ["import", str(EXAMPLE)], env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "batch-duplicate" in done.stderr
