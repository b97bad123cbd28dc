"""The benchmark data generator (benchmarks/generate.py) and the runner's pure helpers
(benchmarks/run.py): deterministic output, vouchers that post and close, peer files that
hold the same transactions, sizes in lines or vouchers, the peer install plan and --merge.

benchmarks/ is not a package: both scripts are imported from their folder, as run.py
imports generate.py.
"""

from __future__ import annotations

import csv
import importlib
import json
import re
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.cli import cli

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))
generate = importlib.import_module("generate")
bench = importlib.import_module("run")

LINES = 2_000


@pytest.fixture(scope="module")
def books_2k(tmp_path_factory) -> tuple[Path, dict]:
    """2 000 lines in every format."""
    out = tmp_path_factory.mktemp("gen2k")
    return out, generate.generate(LINES, out, set(generate.FORMATS))


def read_journal(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_same_seed_same_bytes_other_seed_other_bytes(books_2k, tmp_path):
    out, _ = books_2k
    again = generate.generate(LINES, tmp_path / "again", set(generate.FORMATS))
    assert again["lines"] == LINES
    for name in ["opening.csv", "manifest.json", *generate.FILE_NAMES.values()]:
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name
    generate.generate(LINES, tmp_path / "other", {"csv"}, seed=7)
    assert (tmp_path / "other" / "journal.csv").read_bytes() != (out / "journal.csv").read_bytes()
    assert not (tmp_path / "other" / "year.journal").exists()


def test_exact_lines_balanced_vouchers_and_manifest(books_2k):
    out, manifest = books_2k
    rows = read_journal(out / "journal.csv")
    assert list(rows[0]) == ["date", "voucher", "account", "amount", "statskonto", "artskonto", "text",
                             *(f"dim.{d}" for d in generate.DIMENSIONS)]
    assert len(rows) == LINES == manifest["lines"]
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        totals[row["voucher"]] += Decimal(row["amount"])
    assert len(totals) == manifest["vouchers"]
    assert all(total == 0 for total in totals.values())
    assert sum(Decimal(r["amount"]) for r in read_journal(out / "opening.csv")) == 0
    assert manifest["generator_version"] == generate.GENERATOR_VERSION
    assert (manifest["unit"], manifest["target"], manifest["label"]) == ("lines", LINES, "2k")
    # rent lines carry the lease term note 5's rent table needs; no other line does
    rent = [r for r in rows if r["account"] in generate.RENT_ACCOUNTS]
    assert rent and all(r["dim.leieavtale"] in {"inntil1", "1-5", "over5"} for r in rent)
    assert all(r["dim.leieavtale"] == "" for r in rows if r["account"] not in generate.RENT_ACCOUNTS)


@pytest.mark.slow  # a whole generated year through the CLI: a large-file test
def test_vouchers_post_close_and_export(books_2k, tmp_path, monkeypatch):
    """The generated year posts (the rules accept every voucher) and closes with the xlsx export."""
    out, manifest = books_2k
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def ledger(*args: str):
        result = runner.invoke(cli, ["--books", str(tmp_path / "b.sqlite"), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    ledger("init")
    ledger("inputs", "import", "2024", str(out / "inputs"))
    ledger("import", "--opening", str(out / "opening.csv"))
    posted = ledger("import", str(out / "journal.csv"))
    assert f"{manifest['vouchers']} vouchers, {LINES} lines" in posted
    balance = json.loads(ledger("balance", "2024", "--by", "statskonto", "--format", "json"))
    assert sum(Decimal(row["balance"]) for row in balance) == 0
    assert "wrote" in ledger("close", "2024", "--export", "xlsx")
    assert (tmp_path / "arsregnskap-2024.xlsx").stat().st_size > 0


def peer_transactions(out: Path) -> dict[str, tuple[int, int, Decimal]]:
    """Per peer format: (transactions, postings, sum of the absolute amounts)."""
    patterns = {
        "year.journal": (r"^\d{4}-\d\d-\d\d V\d+ \||^\d{4}-\d\d-\d\d IB\d+ \|", r"^    \S+  (-?\d+\.\d\d)"),
        "year.ledger": (r"^\d{4}-\d\d-\d\d \(", r"^    \S+  (-?\d+\.\d\d)"),
        "year.beancount": (r'^\d{4}-\d\d-\d\d \* "', r"^  \S+  (-?\d+\.\d\d) NOK$"),
    }
    found = {}
    for name, (header, posting) in patterns.items():
        transactions = postings = 0
        total = Decimal(0)
        for line in (out / name).read_text(encoding="utf-8").splitlines():
            if re.match(header, line):
                transactions += 1
            elif m := re.match(posting, line):
                postings += 1
                total += abs(Decimal(m.group(1)))
        found[name] = (transactions, postings, total)
    return found


def test_peers_hold_the_same_transactions(books_2k):
    out, manifest = books_2k
    rows = read_journal(out / "journal.csv") + read_journal(out / "opening.csv")
    expected = (manifest["vouchers"] + 1, len(rows), sum(abs(Decimal(r["amount"])) for r in rows))
    for name, counted in peer_transactions(out).items():
        assert counted == expected, name  # + 1: the opening balance, which the CSV has in opening.csv
    # the statskonto and the lease term travel as tags / metadata
    assert out.joinpath("year.journal").read_text(encoding="utf-8").count("leieavtale:") == sum(
        1 for r in rows if r.get("dim.leieavtale"))


def test_size_in_vouchers_gives_exactly_n_vouchers(tmp_path):
    assert generate.parse_spec("1Mtx") == (1_000_000, "vouchers")
    assert generate.parse_spec("100k") == (100_000, "lines")
    assert generate.spec_label(1_000_000, "vouchers") == "1Mtx"
    manifest = generate.generate(701, tmp_path, {"csv", "hledger"}, unit="vouchers")
    rows = read_journal(tmp_path / "journal.csv")
    assert len({r["voucher"] for r in rows}) == 701 == manifest["vouchers"]
    assert len(rows) == manifest["lines"] and manifest["label"] == "701tx"
    assert peer_transactions_in(tmp_path / "year.journal") == 702
    main_out = tmp_path / "cli"
    assert generate.main(["--size", "50tx", "--out", str(main_out), "--formats", "csv"]) == 0
    assert len({r["voucher"] for r in read_journal(main_out / "journal.csv")}) == 50


def peer_transactions_in(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\d{4}-\d\d-\d\d ", line))


# -- the runner ------------------------------------------------------------------------------
def test_parse_sizes_and_stale_data(tmp_path):
    sizes = bench.parse_sizes("10M,1Mtx,100k,1M,1M")
    assert [s.label for s in sizes] == ["100k", "1M", "1Mtx", "10M"]
    size = bench.Size(2_000, "lines")
    manifest = generate.generate(2_000, tmp_path, {"csv"})
    assert bench.data_is_current(manifest, size, {"csv"}, tmp_path)
    assert not bench.data_is_current(manifest, size, {"csv", "hledger"}, tmp_path)
    assert not bench.data_is_current({**manifest, "generator_version": 1}, size, {"csv"}, tmp_path)
    assert not bench.data_is_current(manifest, bench.Size(2_000, "vouchers"), {"csv"}, tmp_path)
    old = {k: v for k, v in manifest.items() if k not in ("generator_version", "unit", "target")}
    assert not bench.data_is_current(old, size, {"csv"}, tmp_path)  # version 1 manifests


def fake_bin(folder: Path, name: str, output: str) -> None:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{output}'\n")
    path.chmod(0o755)


def test_install_plan_with_a_fake_path(tmp_path, monkeypatch):
    monkeypatch.delenv("BEAN_QUERY", raising=False)
    fake = tmp_path / "bin"
    fake_bin(fake, "ledger", "ledger, version 0.1.0")  # our console script, not ledger-cli
    fake_bin(fake, "apt-get", "")
    fake_bin(fake, "sudo", "")
    path = str(fake)
    assert bench.ledger_cli_binary(path) is None and bench.hledger_binary(path) is None
    found = {"ledger-cli": None, "hledger": None, "bean-query": None}
    venv = tmp_path / "peer-venv"
    commands, notes = bench.install_plan(found, euid=1000, path=path, python="/py", peer_venv=venv)
    assert commands == [
        ["sudo", "-n", str(fake / "apt-get"), "update", "-qq"],
        ["sudo", "-n", str(fake / "apt-get"), "install", "-y", "-qq", "--no-install-recommends", "ledger", "hledger"],
        ["/py", "-m", "venv", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "beancount", "beanquery"],
    ] and notes == []
    # as root, no sudo; only what is missing
    commands, _ = bench.install_plan({**found, "ledger-cli": "/x/ledger", "bean-query": "/x/bean-query"},
                                     euid=0, path=path, peer_venv=venv)
    assert commands == [[str(fake / "apt-get"), "update", "-qq"],
                        [str(fake / "apt-get"), "install", "-y", "-qq", "--no-install-recommends", "hledger"]]
    # no apt-get: a note, no command
    commands, notes = bench.install_plan({**found, "bean-query": "/x/bq"}, euid=0, path=str(tmp_path / "none"))
    assert commands == [] and "no apt-get" in notes[0]
    # everything found: nothing to do
    fake_bin(fake, "ledger", "Ledger 3.3.0-20230208, the command-line accounting tool")
    fake_bin(fake, "hledger", "hledger 1.25")
    fake_bin(fake, "bean-query", "beanquery 0.2.0")
    found = bench.peer_binaries(path, python=str(tmp_path / "nowhere" / "python"))
    assert found["ledger-cli"] == str(fake / "ledger") and found["hledger"] == str(fake / "hledger")
    assert found["bean-query"] in (str(fake / "bean-query"), str(bench.PEER_VENV / "bin" / "bean-query"))
    assert bench.install_plan({**found, "duckdb": "/x/python"}, euid=1000, path=path) == ([], [])
    # only DuckDB missing: pip installs it into the peer venv
    commands, _ = bench.install_plan({**found, "duckdb": None}, euid=1000, path=path, python="/py", peer_venv=venv)
    assert commands == [["/py", "-m", "venv", str(venv)],
                        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "duckdb"]]


def fake_size(label: str, lines: int, started: str, **ops) -> dict:
    return {"size": label, "lines": lines, "vouchers": lines // 3, "journal_mib": 1.0, "generator_version": 2,
            "ops": {k: {"outcome": "ok", "median_s": v, "peak_rss_mib": 100.0, "runs": [{}] * 3}
                    for k, v in ops.items()},
            "from_run": f"run {started}", "run_started": started}


def fake_raw(started: str, sizes: list[dict]) -> dict:
    return {"started": started, "command": f"run {started}", "repeat": 3, "timeout": 600, "mem_limit_gb": 16,
            "single_run_above": 120, "versions": {"python": "3"}, "sizes": sizes,
            "machine": {"cpus": 2, "cpu": "x", "memory": "1 GiB", "kernel": "6"}}


def test_merge_keeps_earlier_sizes_and_judges_tb_at_1mtx(tmp_path):
    first = fake_raw("2024-01-01T00:00:00", [
        fake_size("1M", 1_000_000, "2024-01-01T00:00:00", tb_account=1.0, **{"hledger_account": 8.0}),
        fake_size("1Mtx", 2_875_000, "2024-01-01T00:00:00", tb_account=2.0,
                  **{"hledger_account": 300.0, "ledger-cli_account": 30.0})])
    (tmp_path / "raw.json").write_text(json.dumps(first))
    previous = bench.load_previous(tmp_path / "raw.json")
    earlier, runs = bench.merge_earlier(previous, {"1M", "10M"})
    assert [s["size"] for s in earlier] == ["1Mtx"] and [r["started"] for r in runs] == ["2024-01-01T00:00:00"]
    second = fake_raw("2024-02-01T00:00:00", [*earlier, fake_size("10M", 10_000_000, "2024-02-01T00:00:00",
                                                                   tb_account=9.0)])
    second["runs"] = [*runs, bench.run_meta(second)]
    text = bench.report(second)
    assert "Merged from 2 runs" in text and "1Mtx: 2,875,000 lines, 958,333 vouchers" in text
    assert "| trial balance by account ≥ 100× faster than hledger (1Mtx (2,875,000 lines, 958,333 vouchers)) | " \
           "150.0× | yes |" in text
    assert "≥ 10× faster than ledger-cli (1Mtx" in text and "judged at" not in text
    # without 1Mtx: judged at the largest size with peers, and said so
    only_1m = fake_raw("2024-01-01T00:00:00", [first["sizes"][0]])
    assert "judged at 1M (1,000,000 lines" in bench.report(only_1m)
    # an unusable raw.json is ignored, not fatal
    (tmp_path / "raw.json").write_text("{not json")
    assert bench.load_previous(tmp_path / "raw.json") is None
    assert bench.merge_earlier(None, {"1M"}) == ([], [])
