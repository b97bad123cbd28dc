"""Benchmark `ledger` against ledger-cli, hledger and beancount on the same year.

Not part of the test suite.  Run from anywhere with a Python that has ledger's
dependencies (the runner's own interpreter runs ``python -m ledger.cli``)::

    python benchmarks/run.py                    # --sizes 100k,1M,1Mtx,10M --peer-sizes 100k,1M,1Mtx
    python benchmarks/run.py --quick            # 10k and 100k, one run each
    python benchmarks/run.py --sizes 10M --peer-sizes none --merge   # add 10M to results/

A size is journal lines (``100k``, ``1M``, ``10M``) or vouchers (``1Mtx`` = a year of
1 000 000 transactions, about 2.9M lines).  For each size it generates the books
(``benchmarks/generate.py``, into ``benchmarks/work/<label>/``, gitignored; data whose
manifest has another ``generator_version`` is regenerated), then times whole processes, each as
``/usr/bin/time -v`` (peak RSS) and a wall clock around it, median of
``--repeat`` runs:

- ``ledger import`` of the year's journal into fresh books (opening balance posted);
- ``ledger close YEAR`` and ``ledger close YEAR --export xlsx`` on a copy of the
  posted books, when the ``close`` command exists (else "n/a (not yet built)"),
  and ``ledger export-annual YEAR --format xlsx`` when that exists;
- ``ledger balance YEAR --by account`` and ``--by statskonto``;
- the peers' balance reports on the same transactions: ``hledger bal`` and
  ``hledger bal --pivot statskonto``, ``ledger bal`` and ``ledger bal --pivot
  statskonto``, and bean-query ``GROUP BY account`` / ``GROUP BY meta('statskonto')``.

A run that exceeds ``--timeout`` seconds or ``--mem-limit-gb`` of RSS is killed
and recorded as a timeout/limit.  Writes ``benchmarks/results/RESULTS.md`` and
``benchmarks/results/raw.json``; ``--merge`` keeps the sizes of an earlier raw.json in
``--out`` that this run does not measure (e.g. a separate 10M run).  The trial-balance
targets are judged at ``1Mtx`` (a 1M-transaction year).

Missing peers are installed first (``--no-install`` to skip, ``--dry-run-install`` to
print the plan): ledger-cli and hledger as Debian packages (apt-get, as root or with
passwordless sudo), beancount + beanquery with pip into ``benchmarks/work/peer-venv``
(never into the project's environment).  bean-query is looked for in ``$BEAN_QUERY``,
next to this Python, in that peer venv, then on PATH.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

YEAR = 2024
WORK = HERE / "work"
RESULTS = HERE / "results"
PEER_VENV = WORK / "peer-venv"
PEER_FORMATS = ("hledger", "ledger", "beancount")
DEFAULT_SIZES = "100k,1M,1Mtx,10M"
DEFAULT_PEER_SIZES = "100k,1M,1Mtx"
TB_TARGET_SIZE = "1Mtx"  # the trial-balance targets are for a 1M-transaction year
BIG_SIZE = "10M"  # the import and close targets are for a 10M-line year
APT_PACKAGES = {"ledger-cli": "ledger", "hledger": "hledger"}  # peer → Debian package
PIP_PACKAGES = ("beancount", "beanquery")
TARGETS = {
    # issue #16 (import at the speed of the hardware)
    "import_10M_s": 30, "import_10M_gib": 2, "close_export_10M_s": 20, "close_export_10M_gib": 4,
    "import_rss_gib": 1, "first_tb_vs_ledger_cli": 2, "explain_10M_s": 2,
    # issue #8 (the trial balance against the peers)
    "tb_vs_ledger_cli": 10, "tb_vs_hledger": 100, "tb_vs_beancount": 100,
}


# -- running and measuring a process ------------------------------------------------
def _group_rss_kib(pgid: int) -> int:
    """Summed RSS (KiB) of the processes in process group ``pgid``."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            with open(f"/proc/{entry}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(cmd: list[str], *, env=None, cwd=None, timeout: float, mem_limit_kib: int,
            stdout=subprocess.DEVNULL) -> dict:
    """Run ``cmd`` once under ``/usr/bin/time -v``: wall seconds, peak RSS, outcome."""
    start = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-v", *cmd], stdout=stdout, stderr=subprocess.PIPE,
                            env=env, cwd=cwd, start_new_session=True, text=True)
    outcome, peak_polled = "ok", 0
    while True:
        try:
            proc.wait(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            pass
        rss = _group_rss_kib(proc.pid)
        peak_polled = max(peak_polled, rss)
        if time.perf_counter() - start > timeout:
            outcome = "timeout"
        elif rss > mem_limit_kib:
            outcome = "memory-limit"
        if outcome != "ok":
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            break
    wall = time.perf_counter() - start
    stderr = proc.stderr.read()
    rss_match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    status_match = re.search(r"Exit status: (\d+)", stderr)
    peak = int(rss_match.group(1)) if rss_match else peak_polled
    if outcome == "ok" and (proc.returncode != 0 or (status_match and status_match.group(1) != "0")):
        outcome = "error"
    result = {"wall_s": round(wall, 3), "peak_rss_mib": round(max(peak, peak_polled) / 1024, 1),
              "outcome": outcome}
    if outcome == "error":
        result["stderr_tail"] = stderr.split("\tCommand being timed:")[0][-2000:]
    return result


def timed(name: str, cmd: list[str], repeat: int, args, *, before=None, env=None, cwd=None) -> dict:
    """``repeat`` runs of ``cmd`` (``before()`` prepares each): the median and the runs."""
    runs = []
    for i in range(repeat):
        if before is not None:
            before()
        run = measure(cmd, env=env, cwd=cwd, timeout=args.timeout, mem_limit_kib=args.mem_limit_gb * 1024**2)
        runs.append(run)
        print(f"  {name}: run {i + 1}/{repeat} {run['outcome']} {run['wall_s']:.2f} s "
              f"{run['peak_rss_mib']:.0f} MiB", file=sys.stderr, flush=True)
        if run["outcome"] != "ok":
            break
        if run["wall_s"] > args.single_run_above:
            break  # long runs are measured once (noted in the report)
    ok = [r for r in runs if r["outcome"] == "ok"]
    summary = {"name": name, "cmd": " ".join(cmd), "runs": runs,
               "outcome": "ok" if ok and len(ok) == len(runs) else runs[-1]["outcome"]}
    if summary["outcome"] == "ok":
        summary["median_s"] = round(statistics.median(r["wall_s"] for r in ok), 3)
        summary["peak_rss_mib"] = max(r["peak_rss_mib"] for r in ok)
    return summary


# -- sizes ------------------------------------------------------------------------------
class Size(NamedTuple):
    """A benchmark size: ``n`` journal lines (unit "lines") or ``n`` vouchers ("vouchers")."""
    n: int
    unit: str = "lines"

    @property
    def label(self) -> str:
        return generate.spec_label(self.n, self.unit)

    @property
    def expected_lines(self) -> int:
        return generate.expected_lines(self.n, self.unit)


def parse_sizes(text: str) -> list[Size]:
    """``100k,1M,1Mtx`` → sizes, smallest first (by expected lines), duplicates dropped."""
    found = {}
    for part in text.split(","):
        if part.strip():
            size = Size(*generate.parse_spec(part))
            found[size.label] = size
    return sorted(found.values(), key=lambda s: (s.expected_lines, s.unit))


# -- tools ----------------------------------------------------------------------------
def _search_dirs(path: str | None) -> list[str]:
    return [d for d in (os.environ.get("PATH", "") if path is None else path).split(os.pathsep) if d]


def ledger_cli_binary(path: str | None = None) -> str | None:
    """ledger-cli (C++), not our ``ledger`` console script, which may be on PATH too.

    ``path``: the directories to search (default: PATH, then /usr/bin and /usr/local/bin).
    """
    candidates = [os.path.join(d, "ledger") for d in _search_dirs(path)]
    if path is None:
        candidates += ["/usr/bin/ledger", "/usr/local/bin/ledger"]
    seen = set()
    for candidate in candidates:
        real = os.path.realpath(candidate)
        if real in seen or not os.path.isfile(candidate) or not os.access(candidate, os.X_OK):
            continue
        seen.add(real)
        try:
            out = subprocess.run([candidate, "--version"], capture_output=True, text=True, timeout=20).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.startswith("Ledger 3") or "command-line accounting tool" in out:
            return candidate
    return None


def hledger_binary(path: str | None = None) -> str | None:
    return shutil.which("hledger", path=os.pathsep.join(_search_dirs(path)))


def bean_query_binary(path: str | None = None, python: str | None = None) -> str | None:
    """bean-query: ``$BEAN_QUERY``, next to ``python`` (this interpreter), in the peer venv, on ``path``."""
    explicit = os.environ.get("BEAN_QUERY")
    if explicit and os.access(explicit, os.X_OK):
        return explicit
    for folder in (Path(python or sys.executable).parent, PEER_VENV / "bin"):
        if os.access(folder / "bean-query", os.X_OK):
            return str(folder / "bean-query")
    return shutil.which("bean-query", path=os.pathsep.join(_search_dirs(path)))


def duckdb_python(python: str | None = None) -> str | None:
    """A Python that can import duckdb (the floor: DuckDB reading the CSV and grouping it):
    ``python`` (this interpreter) or the peer venv's."""
    for candidate in (python or sys.executable, str(PEER_VENV / "bin" / "python")):
        if not os.access(candidate, os.X_OK):
            continue
        try:
            if subprocess.run([candidate, "-c", "import duckdb"], capture_output=True, timeout=60).returncode == 0:
                return candidate
        except (OSError, subprocess.TimeoutExpired):
            continue
    return None


def peer_binaries(path: str | None = None, python: str | None = None) -> dict[str, str | None]:
    """Each peer's executable (None: not found); for DuckDB, a Python that imports it."""
    return {"ledger-cli": ledger_cli_binary(path), "hledger": hledger_binary(path),
            "bean-query": bean_query_binary(path, python), "duckdb": duckdb_python(python)}


def install_plan(found: dict[str, str | None], *, euid: int | None = None, path: str | None = None,
                 python: str | None = None, peer_venv: Path | None = None) -> tuple[list[list[str]], list[str]]:
    """The commands that would install the missing peers, and notes on what cannot be.

    Nothing is missing → no commands.  apt-get runs as root, or through ``sudo -n``
    (passwordless sudo) otherwise; beancount goes into its own venv ``peer_venv``.
    """
    euid = os.geteuid() if euid is None else euid
    python = python or sys.executable
    peer_venv = PEER_VENV if peer_venv is None else peer_venv
    commands: list[list[str]] = []
    notes: list[str] = []
    packages = [APT_PACKAGES[peer] for peer in APT_PACKAGES if not found.get(peer)]
    if packages:
        apt = shutil.which("apt-get", path=os.pathsep.join(_search_dirs(path)))
        sudo = shutil.which("sudo", path=os.pathsep.join(_search_dirs(path)))
        prefix = [] if euid == 0 else ["sudo", "-n"] if sudo else None
        if apt is None:
            notes.append(f"{', '.join(packages)} missing and there is no apt-get: install them by hand")
        elif prefix is None:
            notes.append(f"{', '.join(packages)} missing and apt-get needs root (no sudo): install them by hand")
        else:
            commands.append([*prefix, apt, "update", "-qq"])
            commands.append([*prefix, apt, "install", "-y", "-qq", "--no-install-recommends", *packages])
    pip = [*(PIP_PACKAGES if not found.get("bean-query") else ()),
           *(("duckdb",) if "duckdb" in found and not found["duckdb"] else ())]
    if pip:
        venv_python = peer_venv / "bin" / "python"
        if not venv_python.exists():
            commands.append([python, "-m", "venv", str(peer_venv)])
        commands.append([str(venv_python), "-m", "pip", "install", "-q", *pip])
    return commands, notes


def install_peers(dry_run: bool = False) -> dict:
    """Install the missing peers (see :func:`install_plan`); what was done and what is still missing."""
    found = peer_binaries()
    commands, notes = install_plan(found)
    report = {"found_before": found, "commands": [" ".join(c) for c in commands], "notes": notes}
    if dry_run:
        return report
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in commands:
        print(f"installing peers: {' '.join(cmd)}", file=sys.stderr, flush=True)
        try:
            done = subprocess.run(cmd, env=env, check=False)
        except OSError as e:
            notes.append(f"{' '.join(cmd)}: {e}")
            break
        if done.returncode != 0:
            notes.append(f"{' '.join(cmd)} exited {done.returncode}")
            if "venv" in cmd or "update" in cmd:
                continue  # the install step after it says whether it matters
    if commands:
        after = peer_binaries()
        report["found_after"] = after
        notes += [f"{peer} still missing after the install step" for peer, exe in after.items() if not exe]
    for note in notes:
        print(f"install: {note}", file=sys.stderr)
    return report


def versions() -> dict:
    def first_line(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return None
    peers = peer_binaries()
    lc, hl, bq = peers["ledger-cli"], peers["hledger"], peers["bean-query"]
    found = {
        "ledger (this)": first_line([sys.executable, "-m", "ledger.cli", "--version"]),
        "ledger-cli": first_line([lc, "--version"]) if lc else None,
        "hledger": first_line([hl, "--version"]) if hl else None,
        "beancount": first_line([bq, "--version"]) if bq else None,  # "beanquery 0.2.0, beancount 3.2.3"
        "python": platform.python_version(),
    }
    try:
        import pandas, pyarrow  # noqa: E401
        found["pandas/pyarrow"] = f"{pandas.__version__}/{pyarrow.__version__}"
    except ImportError:
        pass
    found["sqlite"] = __import__("sqlite3").sqlite_version
    return found


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        mem = f"{int(open('/proc/meminfo').readline().split()[1]) / 1024**2:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory": mem, "kernel": platform.release()}


# -- the benchmark of one size ----------------------------------------------------------------
def data_is_current(manifest: dict, size: Size, formats: set[str], folder: Path) -> bool:
    """Whether ``folder``'s data (its ``manifest``) is this generator's output for ``size``."""
    return (manifest.get("generator_version") == generate.GENERATOR_VERSION
            and manifest.get("unit", "lines") == size.unit
            and manifest.get("target", manifest.get("lines")) == size.n
            and formats <= set(manifest.get("formats", []))
            and all((folder / generate.FILE_NAMES[f]).exists() for f in formats)
            and (folder / "opening.csv").exists())


def ensure_data(size: Size, with_peers: bool) -> tuple[Path, dict]:
    """``benchmarks/work/<label>/``, (re)generated unless current (:func:`data_is_current`)."""
    folder = WORK / size.label
    formats = {"csv", *PEER_FORMATS} if with_peers else {"csv"}
    manifest_path = folder / "manifest.json"
    manifest: dict = {}
    if manifest_path.exists():
        try:
            manifest = json.loads(manifest_path.read_text())
        except (OSError, ValueError):
            manifest = {}
        if data_is_current(manifest, size, formats, folder):
            return folder, manifest
        why = ("generator version " + str(manifest.get("generator_version", 1)) + " ≠ "
               + str(generate.GENERATOR_VERSION)) if manifest.get("generator_version") != generate.GENERATOR_VERSION \
            else "missing formats or another size"
        print(f"regenerating {size.label} ({why})", file=sys.stderr)
    print(f"generating {size.label} = {size.n:,} {size.unit} ({', '.join(sorted(formats))})", file=sys.stderr,
          flush=True)
    started = time.perf_counter()
    manifest = generate.generate(size.n, folder, formats, unit=size.unit)
    manifest["generate_s"] = round(time.perf_counter() - started, 1)
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"generated {size.label}: {manifest['lines']:,} lines, {manifest['vouchers']:,} vouchers in "
          f"{manifest['generate_s']} s", file=sys.stderr)
    return folder, manifest


def remove_books(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_books(src: Path, dst: Path) -> None:
    remove_books(dst)
    shutil.copyfile(src, dst)


def has_command(env, *words: str, option: str | None = None) -> bool:
    """Whether ``ledger WORDS`` exists (and offers ``option``, if given)."""
    out = subprocess.run([sys.executable, "-m", "ledger.cli", *words, "--help"], env=env,
                         capture_output=True, text=True)
    return out.returncode == 0 and (option is None or option in out.stdout)


def bench_size(size: Size, args, env: dict, with_peers: bool) -> dict:
    folder, manifest = ensure_data(size, with_peers)
    label = size.label
    print(f"== {label}: {manifest['lines']:,} lines, {manifest['vouchers']:,} vouchers", file=sys.stderr)
    ours = [sys.executable, "-m", "ledger.cli"]
    result = {"size": label, "unit": size.unit, "target": size.n, "lines": manifest["lines"],
              "vouchers": manifest["vouchers"], "generator_version": manifest.get("generator_version"),
              "generate_s": manifest.get("generate_s"),
              "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
              "journal_mib": round((folder / "journal.csv").stat().st_size / 1024**2, 1), "ops": {}}
    ops = result["ops"]
    template, books = folder / "template.sqlite", folder / "books.sqlite"
    remove_books(template)
    for step in (["init"], ["inputs", "import", str(YEAR), str(folder / "inputs")],
                 ["import", "--opening", str(folder / "opening.csv")]):
        subprocess.run([*ours, "--books", str(template), *step], env=env, check=True, stdout=subprocess.DEVNULL)

    ops["import"] = timed("ledger import", [*ours, "--books", str(books), "import", str(folder / "journal.csv")],
                          args.repeat, args, before=lambda: copy_books(template, books), env=env)
    if ops["import"]["outcome"] != "ok":
        return result
    result["books_mib"] = round(books.stat().st_size / 1024**2, 1)
    for by in ("account", "statskonto"):
        ops[f"tb_{by}"] = timed(f"ledger balance --by {by}",
                                [*ours, "--books", str(books), "balance", str(YEAR), "--by", by], args.repeat, args, env=env)
    # One statement line down to its posted lines (the first page and the last), and the
    # deep audit of every stored value.
    line = ["explain", str(YEAR), *EXPLAINED_LINE, "--vouchers"]
    ops["explain_vouchers"] = timed("ledger explain --vouchers", [*ours, "--books", str(books), *line],
                                    args.repeat, args, env=env)
    ops["explain_last_page"] = timed("ledger explain --vouchers --page LAST",
                                     [*ours, "--books", str(books), *line, "--page", str(last_page(ours, books, line, env))],
                                     args.repeat, args, env=env)
    ops["audit"] = timed("ledger audit", [*ours, "--books", str(books), "audit"], args.repeat, args, env=env)

    work_copy = folder / "close.sqlite"
    if "close" in args.skip:
        ops["close"] = ops["close_export"] = {"outcome": "skipped (--skip)"}
    elif has_command(env, "close"):
        ops["close"] = timed("ledger close", [*ours, "--books", str(work_copy), "close", str(YEAR)],
                             args.repeat, args, before=lambda: copy_books(books, work_copy), env=env, cwd=folder)
        if has_command(env, "close", option="--export"):
            ops["close_export"] = timed(
                "ledger close --export xlsx",
                [*ours, "--books", str(work_copy), "close", str(YEAR), "--export", "xlsx"],
                args.repeat, args, before=lambda: copy_books(books, work_copy), env=env, cwd=folder)
        else:
            ops["close_export"] = {"outcome": "n/a (--export not yet built)"}
    else:
        ops["close"] = ops["close_export"] = {"outcome": "n/a (not yet built)"}
    if has_command(env, "export-annual") and "export_annual" not in args.skip:
        out = folder / f"arsregnskap-{YEAR}.xlsx"
        ops["export_annual"] = timed(
            "ledger export-annual --format xlsx",
            [*ours, "--books", str(books), "export-annual", str(YEAR), "--format", "xlsx", "--out", str(out)],
            args.repeat, args, env=env, cwd=folder)
    remove_books(work_copy)

    # The floor at every size: DuckDB reading the same CSV and summing it by account.
    duck = duckdb_python()
    ops["duckdb_floor"] = (timed("duckdb read + group by account", [duck, "-c", DUCKDB_FLOOR, str(folder / "journal.csv")],
                                 args.repeat, args, env=env) if duck else {"outcome": "not installed"})
    if with_peers:
        peer_env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
        found = peer_binaries()
        lc, hl, bq = found["ledger-cli"], found["hledger"], found["bean-query"]
        journal, ledger_file, bean = folder / "year.journal", folder / "year.ledger", folder / "year.beancount"
        peers = {
            "ledger-cli_account": ([lc, "-f", str(ledger_file), "bal", "--flat"], lc),
            "ledger-cli_statskonto": ([lc, "-f", str(ledger_file), "bal", "--flat", "--pivot", "statskonto"], lc),
            "hledger_account": ([hl, "-f", str(journal), "bal"], hl),
            "hledger_statskonto": ([hl, "-f", str(journal), "bal", "--pivot", "statskonto"], hl),
            "beancount_account": ([bq, "-f", "csv", str(bean),
                                   "SELECT account, sum(number) AS amount GROUP BY account ORDER BY account"], bq),
            "beancount_statskonto": ([bq, "-f", "csv", str(bean),
                                      "SELECT meta('statskonto') AS statskonto, sum(number) AS amount"
                                      " GROUP BY statskonto ORDER BY statskonto"], bq),
        }
        chosen = {p.strip() for p in getattr(args, "peers", "ledger-cli,hledger,beancount").split(",")}
        for key, (cmd, binary) in peers.items():
            if key.split("_")[0] not in chosen:
                continue
            if binary is None:
                ops[key] = {"outcome": "not installed"}
                continue
            ops[key] = timed(key.replace("_", " by "), cmd, args.repeat, args, env=peer_env)
    if not args.keep_books:
        remove_books(books)
    remove_books(template)
    return result


# The statement line ``explain --vouchers`` is timed on: the appropriation report's 0670.01
# (about a fifth of the year's lines behind one figure).
EXPLAINED_LINE = ("bevilgning", "0670.01", "regnskap")


def last_page(ours: list[str], books: Path, line: list[str], env: dict) -> int:
    """The number of the last page of ``ledger explain … --vouchers`` (from its first page)."""
    out = subprocess.run([*ours, "--books", str(books), *line], env=env, capture_output=True, text=True).stdout
    found = re.search(r"page 1 of (\d+)", out)
    return int(found.group(1)) if found else 1


# DuckDB's read of the journal CSV and sum of the øre by account: what reading and grouping
# the file costs at the least (the amounts parsed exactly, as decimals).
DUCKDB_FLOOR = ("import duckdb, sys; path = sys.argv[1].replace(\"'\", \"''\"); duckdb.sql("
                "\"SELECT account, sum(CAST(amount AS DECIMAL(18, 2))) FROM read_csv('\" + path + \"',"
                " all_varchar = true, header = true) GROUP BY account\").fetchall()")


# -- the report ----------------------------------------------------------------------------------
OP_LABELS = {
    "import": "ledger import (journal → books)",
    "tb_account": "ledger balance --by account",
    "tb_statskonto": "ledger balance --by statskonto",
    "close": "ledger close",
    "close_export": "ledger close --export xlsx",
    "export_annual": "ledger export-annual --format xlsx (no close)",
    "explain_vouchers": "ledger explain YEAR bevilgning 0670.01 --vouchers (first page)",
    "explain_last_page": "ledger explain … --vouchers --page LAST",
    "audit": "ledger audit (every stored value hashed again)",
    "ledger-cli_account": "ledger-cli bal",
    "ledger-cli_statskonto": "ledger-cli bal --pivot statskonto",
    "hledger_account": "hledger bal",
    "hledger_statskonto": "hledger bal --pivot statskonto",
    "beancount_account": "bean-query GROUP BY account",
    "beancount_statskonto": "bean-query GROUP BY meta('statskonto')",
    "duckdb_floor": "DuckDB: read the CSV and GROUP BY account (the floor)",
}


def cell(op: dict | None) -> str:
    if op is None:
        return "–"
    if op.get("outcome") != "ok":
        return op.get("outcome", "–")
    runs = len(op["runs"])
    mark = "" if runs >= 3 else f" (n={runs})"
    return f"{op['median_s']:.2f} s / {op['peak_rss_mib']:.0f} MiB{mark}"


def fit_exponent(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(time) on log(size)."""
    if len(points) < 2:
        return None
    xs, ys = [math.log(n) for n, _ in points], [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else None


def ratios(size: dict) -> dict:
    ops, found = size["ops"], {}
    for by in ("account", "statskonto"):
        ours = ops.get(f"tb_{by}", {})
        if ours.get("outcome") != "ok":
            continue
        for peer in ("ledger-cli", "hledger", "beancount"):
            theirs = ops.get(f"{peer}_{by}", {})
            if theirs.get("outcome") == "ok":
                found[f"{peer}_{by}"] = round(theirs["median_s"] / ours["median_s"], 1)
            elif theirs.get("outcome") in ("timeout", "memory-limit"):
                found[f"{peer}_{by}"] = f"> {theirs['runs'][-1]['wall_s'] / ours['median_s']:.0f} ({theirs['outcome']})"
    return found


def first_trial_balance(size: dict) -> tuple[float, float] | None:
    """(ours, ledger-cli's) seconds from a journal file to a first trial balance: ``ledger import``
    plus ``ledger balance``, against ledger-cli's ``bal`` reading the journal."""
    ops = size["ops"]
    imp, tb, lc = ops.get("import", {}), ops.get("tb_account", {}), ops.get("ledger-cli_account", {})
    if not all(op.get("outcome") == "ok" for op in (imp, tb, lc)):
        return None
    return imp["median_s"] + tb["median_s"], lc["median_s"]


def caption(size: dict) -> str:
    """``1Mtx (2,875,123 lines, 1,000,000 vouchers)``."""
    return f"{size['size']} ({size['lines']:,} lines, {size['vouchers']:,} vouchers)"


RUN_KEYS = ("started", "command", "machine", "versions", "repeat", "timeout", "mem_limit_gb", "single_run_above")


def run_meta(raw: dict) -> dict:
    """What describes one run of this script (its settings, machine and versions)."""
    return {k: raw.get(k) for k in RUN_KEYS}


def runs_of(raw: dict) -> list[dict]:
    """The runs whose sizes ``raw`` holds, oldest first (a raw.json without --merge has one)."""
    runs = {r.get("started"): r for r in raw.get("runs") or []}
    runs.setdefault(raw.get("started"), run_meta(raw))
    used = {s.get("run_started", raw.get("started")) for s in raw.get("sizes", [])}
    return sorted((r for k, r in runs.items() if k in used), key=lambda r: str(r.get("started")))


def report(raw: dict) -> str:
    sizes = raw["sizes"]
    runs = runs_of(raw)
    out = [f"# Benchmark results: a state agency's year ({', '.join(s['size'] for s in sizes)})", ""]
    if len(runs) <= 1:
        out += [f"Measured {raw['started']} on {raw['machine']['cpus']} CPUs ({raw['machine']['cpu']}), "
                f"{raw['machine']['memory']} RAM, Linux {raw['machine']['kernel']}.  Command: `{raw['command']}`.", ""]
        out += ["Versions: " + "; ".join(f"{k} {v}" for k, v in raw["versions"].items() if v), ""]
        out += ["Each cell: median wall time of whole processes (`/usr/bin/time -v`, process start to exit, "
                f"output to /dev/null) of {raw['repeat']} runs / peak RSS of those runs.  `(n=1)`: a run longer than "
                f"{raw['single_run_above']:.0f} s is measured once.  Runs are killed at {raw['timeout']:.0f} s or "
                f"{raw['mem_limit_gb']} GiB RSS.", ""]
    else:
        out += [f"Merged from {len(runs)} runs (`--merge`); each size was measured in one of them:", ""]
        for run in runs:
            labels = [s["size"] for s in sizes if s.get("run_started", raw["started"]) == run["started"]]
            m = run.get("machine") or {}
            out.append(f"- {', '.join(labels)}: measured {run['started']} on {m.get('cpus')} CPUs "
                       f"({m.get('cpu')}), {m.get('memory')} RAM; median of {run.get('repeat')} runs, a run longer "
                       f"than {run.get('single_run_above')} s measured once, killed at {run.get('timeout')} s or "
                       f"{run.get('mem_limit_gb')} GiB.  Command: `{run.get('command')}`.  Versions: "
                       + "; ".join(f"{k} {v}" for k, v in (run.get("versions") or {}).items() if v))
        out += ["", "Each cell: median wall time of whole processes (`/usr/bin/time -v`, process start to exit, "
                "output to /dev/null) / peak RSS of those runs.  `(n=1)`: measured once.", ""]
        generator_versions = {s.get("generator_version") or 1 for s in sizes}
        if len(generator_versions) > 1:
            out += [f"**Warning:** the merged sizes were generated by different generator versions "
                    "(" + ", ".join(f"{s['size']}: v{s.get('generator_version') or 1}" for s in sizes) + "); "
                    "rerun the stale ones.", ""]
    header = "| operation | " + " | ".join(f"{s['size']}: {s['lines']:,} lines, {s['vouchers']:,} vouchers"
                                         for s in sizes) + " | exponent |"
    out += [header, "|---|" + "---|" * (len(sizes) + 1)]
    keys = [k for k in OP_LABELS if any(k in s["ops"] for s in sizes)]
    for key in keys:
        points = [(s["lines"], s["ops"][key]["median_s"]) for s in sizes
                  if s["ops"].get(key, {}).get("outcome") == "ok"]
        exponent = fit_exponent(points)
        cells = " | ".join(cell(s["ops"].get(key)) for s in sizes)
        out.append(f"| {OP_LABELS[key]} | {cells} | {'–' if exponent is None else f'{exponent:.2f}'} |")
    out += ["", "`exponent`: least-squares slope of log(time) against log(lines) over the sizes measured "
            "(1.0 = linear; fixed start-up costs pull it below 1 at small sizes).", ""]
    out += ["## Trial balance: how many times faster `ledger balance` is than each peer, same journal, same run", ""]
    out += ["| size | by | vs ledger-cli | vs hledger | vs beancount |", "|---|---|---|---|---|"]
    for s in sizes:
        r = ratios(s)
        for by in ("account", "statskonto"):
            if any(f"{p}_{by}" in r for p in ("ledger-cli", "hledger", "beancount")):
                out.append(f"| {caption(s)} | {by} | " + " | ".join(
                    f"{r[f'{p}_{by}']}×" if isinstance(r.get(f"{p}_{by}"), float) else str(r.get(f"{p}_{by}", "–"))
                    for p in ("ledger-cli", "hledger", "beancount")) + " |")
    out += ["", "## Journal → first trial balance: `ledger import` + `ledger balance` against each peer's `bal`, same run", ""]
    out += ["| size | ledger (import + balance) | import peak RSS | ledger-cli bal | hledger bal | DuckDB floor |",
            "|---|---|---|---|---|---|"]
    for s in sizes:
        ops = s["ops"]
        imp, tb = ops.get("import", {}), ops.get("tb_account", {})
        if imp.get("outcome") != "ok" or tb.get("outcome") != "ok":
            continue
        mine = imp["median_s"] + tb["median_s"]
        versus = []
        for peer in ("ledger-cli", "hledger"):
            theirs = ops.get(f"{peer}_account")
            if theirs is None:
                versus.append("–")
            elif theirs.get("outcome") == "ok":
                versus.append(f"{theirs['median_s']:.1f} s ({theirs['median_s'] / mine:.1f}× ours)")
            else:
                versus.append(f"{theirs.get('outcome')} ({theirs['runs'][-1]['wall_s']:.0f} s)"
                              if theirs.get("runs") else str(theirs.get("outcome")))
        floor = ops.get("duckdb_floor", {})
        versus.append(f"{floor['median_s']:.2f} s" if floor.get("outcome") == "ok" else str(floor.get("outcome", "–")))
        out.append(f"| {caption(s)} | {mine:.1f} s | {imp['peak_rss_mib']:.0f} MiB | " + " | ".join(versus) + " |")
    out += ["", "## Targets", ""]
    out += targets(raw)
    out += ["", "## Data", ""]
    out += ["| size | lines | vouchers | journal CSV | books (SQLite) | generated in | load average at start |",
            "|---|---|---|---|---|---|---|"]
    for s in sizes:
        generated = f"{s['generate_s']} s" if s.get("generate_s") is not None else "–"
        out.append(f"| {s['size']} | {s['lines']:,} | {s['vouchers']:,} | {s['journal_mib']} MiB | "
                   f"{s.get('books_mib', '–')} MiB | {generated} | {' '.join(map(str, s.get('loadavg_at_start', [])))} |")
    out += ["", "Sizes: `100k`, `1M`, `10M` are journal lines; `1Mtx` is a year of 1,000,000 vouchers "
            f"(transactions, about {generate.MEAN_LINES_PER_VOUCHER} lines each).  "
            "Generated by `benchmarks/generate.py` (deterministic, seed 2024, generator version "
            f"{', '.join(sorted({str(s.get('generator_version') or 1) for s in sizes}))}): payroll with withheld tax "
            "and 2 % pension, employer's tax, invoices with VAT accrued and paid, rent with its lease term, grants "
            "per municipality, repayments, assets, depreciation, accruals; every voucher passes the posting rules.  "
            "The peers read the same transactions (opening balance included), the statskonto and dimensions as "
            "posting tags (hledger), metadata (ledger-cli) or posting metadata (beancount).  Raw figures: `raw.json`."]
    return "\n".join(out) + "\n"


def tb_target_size(sizes: list[dict]) -> tuple[dict | None, str]:
    """The size at which the trial-balance targets are judged, and a note if it is not ``1Mtx``."""
    with_peers = [s for s in sizes if any(k.split("_")[0] in ("ledger-cli", "hledger", "beancount")
                                          and v.get("outcome") != "skipped" for k, v in s["ops"].items())]
    for s in with_peers:
        if s["size"] == TB_TARGET_SIZE:
            return s, ""
    if not with_peers:
        return None, ""
    s = max(with_peers, key=lambda s: s["lines"])
    return s, (f"The trial-balance targets are for a {TB_TARGET_SIZE} year (1,000,000 transactions), which these "
               f"results do not include with the peers: judged at {caption(s)}, the largest size with peers, instead.")


def targets(raw: dict) -> list[str]:
    by_size = {s["size"]: s for s in raw["sizes"]}
    lines = ["| target | measured | met? |", "|---|---|---|"]
    notes = []
    big = by_size.get(BIG_SIZE)
    if big:
        imp = big["ops"].get("import", {})
        need = f"import of a 10M-line year ≤ {TARGETS['import_10M_s']} s and ≤ {TARGETS['import_10M_gib']} GiB"
        if imp.get("outcome") == "ok":
            met = imp["median_s"] <= TARGETS["import_10M_s"] and imp["peak_rss_mib"] <= TARGETS["import_10M_gib"] * 1024
            lines.append(f"| {need} | {imp['median_s']:.1f} s, {imp['peak_rss_mib'] / 1024:.1f} GiB | "
                         f"{'yes' if met else 'NO'} |")
        else:
            lines.append(f"| {need} | {imp.get('outcome')} | NO |")
        ce = big["ops"].get("close_export", {})
        if ce.get("outcome") == "ok":
            met = ce["median_s"] <= TARGETS["close_export_10M_s"] and ce["peak_rss_mib"] <= TARGETS["close_export_10M_gib"] * 1024
            lines.append(f"| close + xlsx export of 10M lines ≤ {TARGETS['close_export_10M_s']} s and ≤ "
                         f"{TARGETS['close_export_10M_gib']} GiB | {ce['median_s']:.1f} s, "
                         f"{ce['peak_rss_mib'] / 1024:.1f} GiB | {'yes' if met else 'NO'} |")
        else:
            lines.append(f"| close + xlsx export of 10M lines ≤ {TARGETS['close_export_10M_s']} s and ≤ "
                         f"{TARGETS['close_export_10M_gib']} GiB | {ce.get('outcome', 'not measured')} | – |")
        ex, last = big["ops"].get("explain_vouchers", {}), big["ops"].get("explain_last_page", {})
        if ex.get("outcome") == "ok" and last.get("outcome") == "ok":
            slowest = max(ex["median_s"], last["median_s"])
            lines.append(f"| `explain --vouchers` of one statement line of a 10M-line year in about a second "
                         f"(≤ {TARGETS['explain_10M_s']} s, first page and last) | {ex['median_s']:.1f} s and "
                         f"{last['median_s']:.1f} s | {'yes' if slowest <= TARGETS['explain_10M_s'] else 'NO'} |")
    else:
        lines.append(f"| {BIG_SIZE}-line targets (import, close + export) | not measured | – |")
    for size in raw["sizes"]:
        imp = size["ops"].get("import", {})
        if imp.get("outcome") == "ok" and size["size"] in (TB_TARGET_SIZE, "1M"):
            met = imp["peak_rss_mib"] <= TARGETS["import_rss_gib"] * 1024
            lines.append(f"| import peak RSS ≤ {TARGETS['import_rss_gib']} GB ({caption(size)}) | "
                         f"{imp['peak_rss_mib']:.0f} MiB | {'yes' if met else 'NO'} |")
    s, note = tb_target_size(raw["sizes"])
    if s is not None:
        if note:
            notes.append(note)
        first = first_trial_balance(s)
        if first is not None:
            ours, theirs = first
            need = TARGETS["first_tb_vs_ledger_cli"]
            lines.append(f"| journal → first trial balance (import + balance) ≥ {need}× faster than ledger-cli bal "
                         f"({caption(s)}) | {ours:.1f} s vs {theirs:.1f} s: {theirs / ours:.2f}× | "
                         f"{'yes' if theirs / ours >= need else 'NO'} |")
        r = ratios(s)
        for peer, need in (("ledger-cli", TARGETS["tb_vs_ledger_cli"]), ("hledger", TARGETS["tb_vs_hledger"]),
                           ("beancount", TARGETS["tb_vs_beancount"])):
            for by in ("account", "statskonto"):
                value = r.get(f"{peer}_{by}")
                met = ("yes" if value >= need else "NO") if isinstance(value, float) else (
                    "yes" if isinstance(value, str) and value.startswith(">") and float(value[2:].split()[0]) >= need else "–")
                lines.append(f"| trial balance by {by} ≥ {need}× faster than {peer} ({caption(s)}) | "
                             f"{value if value is not None else 'n/a'}{'×' if isinstance(value, float) else ''} | {met} |")
    else:
        lines.append(f"| trial-balance targets ({TB_TARGET_SIZE}) | no size measured with the peers | – |")
    return lines + ([""] + notes if notes else [])


def load_previous(path: Path) -> dict | None:
    """An earlier raw.json to merge with (None, with a warning, if it is missing or unusable)."""
    if not path.exists():
        print(f"--merge: no {path} yet; nothing to merge", file=sys.stderr)
        return None
    try:
        previous = json.loads(path.read_text())
        if not isinstance(previous, dict) or not isinstance(previous.get("sizes"), list):
            raise ValueError("no list of sizes")
        for s in previous["sizes"]:
            if not {"size", "lines", "vouchers", "ops"} <= set(s):
                raise ValueError(f"size entry without size/lines/vouchers/ops: {sorted(s)}")
    except (OSError, ValueError) as e:
        print(f"--merge: ignoring {path}: {e}", file=sys.stderr)
        return None
    return previous


def merge_earlier(previous: dict | None, labels: set[str]) -> tuple[list[dict], list[dict]]:
    """The sizes of ``previous`` that this run does not measure (``labels``), and their runs."""
    if previous is None:
        return [], []
    earlier = [s for s in previous["sizes"] if s["size"] not in labels]
    for s in earlier:
        s.setdefault("from_run", previous.get("command"))
        s.setdefault("run_started", previous.get("started"))
    runs = [r for r in runs_of(previous) if r.get("started") in {s["run_started"] for s in earlier}]
    return earlier, runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help=f"sizes: journal lines (100k, 1M, 10M) or vouchers (1Mtx); default {DEFAULT_SIZES}")
    parser.add_argument("--peer-sizes", default=DEFAULT_PEER_SIZES,
                        help=f"sizes at which the peers run too (default {DEFAULT_PEER_SIZES}; 'all' or 'none')")
    parser.add_argument("--quick", action="store_true", help="10k and 100k, one run each: a smoke test")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run is killed")
    parser.add_argument("--mem-limit-gb", type=int, default=16, help="RSS (GiB) at which a run is killed")
    parser.add_argument("--single-run-above", type=float, default=120,
                        help="a run longer than this (s) is not repeated")
    parser.add_argument("--keep-books", action="store_true", help="keep the posted books in benchmarks/work")
    parser.add_argument("--no-install", action="store_true", help="do not install missing peers")
    parser.add_argument("--dry-run-install", action="store_true",
                        help="print which peers are found and the commands that would install the missing ones; exit")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--peers", default="ledger-cli,hledger,beancount",
                        help="comma list of the peers to run at the peer sizes (ledger-cli, hledger, beancount)")
    parser.add_argument("--skip", default="", help="comma list of operations to leave out: close, export_annual")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other sizes of an earlier raw.json in --out (e.g. a separate 10M run)")
    args = parser.parse_args(argv)
    args.skip = {x.strip() for x in args.skip.split(",") if x.strip()}
    if args.dry_run_install:
        print(json.dumps(install_peers(dry_run=True), indent=1))
        return 0
    if args.quick:
        args.sizes, args.peer_sizes, args.repeat = "10k,100k", "all", 1
    try:
        sizes = parse_sizes(args.sizes)
        peer_labels = ({s.label for s in sizes} if args.peer_sizes == "all" else set() if args.peer_sizes == "none"
                       else {s.label for s in parse_sizes(args.peer_sizes)})
    except ValueError as e:
        parser.error(str(e))
    if not sizes:
        parser.error("no sizes")
    if stray := peer_labels - {s.label for s in sizes}:
        print(f"--peer-sizes {', '.join(sorted(stray))} not in --sizes: not measured", file=sys.stderr)
    install = {"skipped": "--no-install"} if args.no_install else install_peers()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    raw = {"started": dt.datetime.now().isoformat(timespec="seconds"), "command": " ".join(["benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])]),
           "machine": machine(), "versions": versions(), "repeat": args.repeat, "timeout": args.timeout,
           "mem_limit_gb": args.mem_limit_gb, "single_run_above": args.single_run_above, "install": install,
           "sizes": []}
    args.out.mkdir(parents=True, exist_ok=True)
    earlier, earlier_runs = merge_earlier(load_previous(args.out / "raw.json") if args.merge else None,
                                          {s.label for s in sizes})
    if earlier:
        print(f"--merge: keeping {', '.join(s['size'] for s in earlier)} from {args.out / 'raw.json'}",
              file=sys.stderr)
    raw["runs"] = [*earlier_runs, run_meta(raw)]
    measured: list[dict] = []
    for size in sizes:
        new = bench_size(size, args, env, size.label in peer_labels)
        new["from_run"], new["run_started"] = raw["command"], raw["started"]
        measured.append(new)
        raw["sizes"] = sorted([*earlier, *measured], key=lambda s: (s["lines"], s["size"]))
        (args.out / "raw.json").write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n")
        (args.out / "RESULTS.md").write_text(report(raw))
    print((args.out / "RESULTS.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
