"""Benchmark `ledger` against ledger-cli, hledger and beancount on the same year.

Not part of the test suite.  Run from anywhere with a Python that has ledger's
dependencies (the runner's own interpreter runs ``python -m ledger.cli``)::

    python benchmarks/run.py --sizes 100k,1M,10M --peer-sizes 100k,1M
    python benchmarks/run.py --quick            # 10k and 100k, one run each

For each size it generates the books (``benchmarks/generate.py``, into
``benchmarks/work/<size>/``, gitignored), then times whole processes, each as
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
``benchmarks/results/raw.json``.
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

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

YEAR = 2024
WORK = HERE / "work"
RESULTS = HERE / "results"
PEER_FORMATS = ("hledger", "ledger", "beancount")
TARGETS = {
    "import_10M_s": 120, "close_export_10M_s": 60, "close_export_10M_gib": 4,
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


# -- tools ----------------------------------------------------------------------------
def ledger_cli_binary() -> str | None:
    """ledger-cli (C++), not our ``ledger`` console script, which may be on PATH too."""
    candidates = ["/usr/bin/ledger", "/usr/local/bin/ledger"]
    candidates += [os.path.join(d, "ledger") for d in os.environ.get("PATH", "").split(os.pathsep)]
    for path in candidates:
        if os.access(path, os.X_OK):
            try:
                out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20).stdout
            except (OSError, subprocess.TimeoutExpired):
                continue
            if out.startswith("Ledger 3") or "command-line accounting tool" in out:
                return path
    return None


def bean_query_binary() -> str | None:
    local = Path(sys.executable).parent / "bean-query"
    return str(local) if local.exists() else shutil.which("bean-query")


def install_peers() -> dict:
    """apt-get ledger and hledger, pip beancount + beanquery into this venv, if missing."""
    notes = {}
    if ledger_cli_binary() is None or shutil.which("hledger") is None:
        apt = shutil.which("apt-get")
        if apt and os.geteuid() == 0:
            subprocess.run([apt, "update", "-qq"], check=False)
            subprocess.run([apt, "install", "-y", "-qq", "ledger", "hledger"], check=False,
                           env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        else:
            notes["apt"] = "ledger/hledger missing and apt-get not usable (not root?)"
    if bean_query_binary() is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "beancount", "beanquery"], check=False)
    return notes


def versions() -> dict:
    def first_line(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return None
    lc, bq = ledger_cli_binary(), bean_query_binary()
    found = {
        "ledger (this)": first_line([sys.executable, "-m", "ledger.cli", "--version"]),
        "ledger-cli": first_line([lc, "--version"]) if lc else None,
        "hledger": first_line(["hledger", "--version"]) if shutil.which("hledger") else None,
        "python": platform.python_version(),
    }
    if bq:
        found["beancount"] = first_line([sys.executable, "-c",
                                         "import beancount, beanquery; print('beancount', beancount.__version__,"
                                         " 'beanquery', beanquery.__version__)"])
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
def ensure_data(n: int, with_peers: bool) -> tuple[Path, dict]:
    folder = WORK / generate.size_label(n)
    formats = {"csv", *PEER_FORMATS} if with_peers else {"csv"}
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("lines") == n and formats <= set(manifest.get("formats", [])):
            return folder, manifest
    print(f"generating {generate.size_label(n)} lines ({', '.join(sorted(formats))})", file=sys.stderr)
    started = time.perf_counter()
    manifest = generate.generate(n, folder, formats)
    manifest["generate_s"] = round(time.perf_counter() - started, 1)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
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


def bench_size(n: int, args, env: dict, with_peers: bool) -> dict:
    folder, manifest = ensure_data(n, with_peers)
    label = generate.size_label(n)
    print(f"== {label}: {manifest['lines']} lines, {manifest['vouchers']} vouchers", file=sys.stderr)
    ours = [sys.executable, "-m", "ledger.cli"]
    result = {"size": label, "lines": manifest["lines"], "vouchers": manifest["vouchers"],
              "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
              "journal_mib": round((folder / "journal.csv").stat().st_size / 1024**2, 1), "ops": {}}
    ops = result["ops"]
    template, books = folder / "template.sqlite", folder / "books.sqlite"
    remove_books(template)
    for step in (["init"], ["import", "--opening", str(folder / "opening.csv")]):
        subprocess.run([*ours, "--books", str(template), *step], env=env, check=True, stdout=subprocess.DEVNULL)

    ops["import"] = timed("ledger import", [*ours, "--books", str(books), "import", str(folder / "journal.csv")],
                          args.repeat, args, before=lambda: copy_books(template, books), env=env)
    if ops["import"]["outcome"] != "ok":
        return result
    result["books_mib"] = round(books.stat().st_size / 1024**2, 1)
    for by in ("account", "statskonto"):
        ops[f"tb_{by}"] = timed(f"ledger balance --by {by}",
                                [*ours, "--books", str(books), "balance", str(YEAR), "--by", by], args.repeat, args, env=env)

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

    if with_peers:
        peer_env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
        lc, bq = ledger_cli_binary(), bean_query_binary()
        hl = shutil.which("hledger")
        journal, ledger_file, bean = folder / "year.journal", folder / "year.ledger", folder / "year.beancount"
        peers = {
            "ledger-cli_account": ([lc, "-f", str(ledger_file), "bal", "--flat"], lc),
            "ledger-cli_statskonto": ([lc, "-f", str(ledger_file), "bal", "--flat", "--pivot", "statskonto"], lc),
            "hledger_account": (["hledger", "-f", str(journal), "bal"], hl),
            "hledger_statskonto": (["hledger", "-f", str(journal), "bal", "--pivot", "statskonto"], hl),
            "beancount_account": ([bq, "-f", "csv", str(bean),
                                   "SELECT account, sum(number) AS amount GROUP BY account ORDER BY account"], bq),
            "beancount_statskonto": ([bq, "-f", "csv", str(bean),
                                      "SELECT meta('statskonto') AS statskonto, sum(number) AS amount"
                                      " GROUP BY statskonto ORDER BY statskonto"], bq),
        }
        for key, (cmd, binary) in peers.items():
            if binary is None:
                ops[key] = {"outcome": "not installed"}
                continue
            ops[key] = timed(key.replace("_", " by "), [c if c else "" for c in cmd], args.repeat, args,
                             env=peer_env)
    if not args.keep_books:
        remove_books(books)
    remove_books(template)
    return result


# -- the report ----------------------------------------------------------------------------------
OP_LABELS = {
    "import": "ledger import (journal → books)",
    "tb_account": "ledger balance --by account",
    "tb_statskonto": "ledger balance --by statskonto",
    "close": "ledger close",
    "close_export": "ledger close --export xlsx",
    "export_annual": "ledger export-annual --format xlsx (no close)",
    "ledger-cli_account": "ledger-cli bal",
    "ledger-cli_statskonto": "ledger-cli bal --pivot statskonto",
    "hledger_account": "hledger bal",
    "hledger_statskonto": "hledger bal --pivot statskonto",
    "beancount_account": "bean-query GROUP BY account",
    "beancount_statskonto": "bean-query GROUP BY meta('statskonto')",
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


def report(raw: dict) -> str:
    sizes = raw["sizes"]
    out = [f"# Benchmark results: a state agency's year ({', '.join(s['size'] for s in sizes)} journal lines)", ""]
    out += [f"Measured {raw['started']} on {raw['machine']['cpus']} CPUs ({raw['machine']['cpu']}), "
            f"{raw['machine']['memory']} RAM, Linux {raw['machine']['kernel']}.  Command: `{raw['command']}`.", ""]
    out += ["Versions: " + "; ".join(f"{k} {v}" for k, v in raw["versions"].items() if v), ""]
    out += ["Each cell: median wall time of whole processes (`/usr/bin/time -v`, process start to exit, "
            f"output to /dev/null) of {raw['repeat']} runs / peak RSS of those runs.  `(n=1)`: a run longer than "
            f"{raw['single_run_above']:.0f} s is measured once.  Runs are killed at {raw['timeout']:.0f} s or "
            f"{raw['mem_limit_gb']} GiB RSS.", ""]
    header = "| operation | " + " | ".join(f"{s['size']} ({s['vouchers']:,} vouchers)" for s in sizes) + " | exponent |"
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
                out.append(f"| {s['size']} | {by} | " + " | ".join(
                    f"{r[f'{p}_{by}']}×" if isinstance(r.get(f"{p}_{by}"), float) else str(r.get(f"{p}_{by}", "–"))
                    for p in ("ledger-cli", "hledger", "beancount")) + " |")
    out += ["", "## Targets", ""]
    out += targets(raw)
    out += ["", "## Data", ""]
    out += ["| size | lines | vouchers | journal CSV | books (SQLite) | load average at start |",
            "|---|---|---|---|---|---|"]
    for s in sizes:
        out.append(f"| {s['size']} | {s['lines']:,} | {s['vouchers']:,} | {s['journal_mib']} MiB | "
                   f"{s.get('books_mib', '–')} MiB | {' '.join(map(str, s.get('loadavg_at_start', [])))} |")
    out += ["", "Generated by `benchmarks/generate.py` (deterministic, seed 2024): payroll with withheld tax "
            "and 2 % pension, employer's tax, invoices with VAT accrued and paid, grants per municipality, "
            "repayments, assets, depreciation, accruals; every voucher passes the posting rules.  The peers "
            "read the same transactions (opening balance included), the statskonto as a posting tag "
            "(hledger), metadata (ledger-cli) or posting metadata (beancount).  Raw figures: `raw.json`."]
    return "\n".join(out) + "\n"


def targets(raw: dict) -> list[str]:
    by_size = {s["size"]: s for s in raw["sizes"]}
    lines = ["| target | measured | met? |", "|---|---|---|"]
    big = by_size.get("10M")
    if big:
        imp = big["ops"].get("import", {})
        if imp.get("outcome") == "ok":
            lines.append(f"| import of a 10M-line year ≤ {TARGETS['import_10M_s']} s | {imp['median_s']:.1f} s, "
                         f"{imp['peak_rss_mib'] / 1024:.1f} GiB | {'yes' if imp['median_s'] <= TARGETS['import_10M_s'] else 'NO'} |")
        else:
            lines.append(f"| import of a 10M-line year ≤ {TARGETS['import_10M_s']} s | {imp.get('outcome')} | NO |")
        ce = big["ops"].get("close_export", {})
        if ce.get("outcome") == "ok":
            met = ce["median_s"] <= TARGETS["close_export_10M_s"] and ce["peak_rss_mib"] <= TARGETS["close_export_10M_gib"] * 1024
            lines.append(f"| close + xlsx export of 10M lines ≤ {TARGETS['close_export_10M_s']} s and ≤ "
                         f"{TARGETS['close_export_10M_gib']} GiB | {ce['median_s']:.1f} s, "
                         f"{ce['peak_rss_mib'] / 1024:.1f} GiB | {'yes' if met else 'NO'} |")
        else:
            lines.append(f"| close + xlsx export of 10M lines ≤ {TARGETS['close_export_10M_s']} s and ≤ "
                         f"{TARGETS['close_export_10M_gib']} GiB | {ce.get('outcome', 'not measured')} | – |")
    else:
        lines.append("| 10M-line targets | not measured in this run | – |")
    peer_sizes = [s for s in raw["sizes"] if any(k.startswith("hledger") for k in s["ops"])]
    if peer_sizes:
        s = max(peer_sizes, key=lambda s: s["lines"])
        r = ratios(s)
        for peer, need in (("ledger-cli", TARGETS["tb_vs_ledger_cli"]), ("hledger", TARGETS["tb_vs_hledger"]),
                           ("beancount", TARGETS["tb_vs_beancount"])):
            for by in ("account", "statskonto"):
                value = r.get(f"{peer}_{by}")
                met = ("yes" if value >= need else "NO") if isinstance(value, float) else (
                    "yes" if isinstance(value, str) and value.startswith(">") and float(value[2:].split()[0]) >= need else "–")
                lines.append(f"| trial balance by {by} ≥ {need}× faster than {peer} ({s['size']} lines, "
                             f"{s['vouchers']:,} vouchers) | {value if value is not None else 'n/a'}"
                             f"{'×' if isinstance(value, float) else ''} | {met} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k,1M,10M", help="journal lines per size (default 100k,1M,10M)")
    parser.add_argument("--peer-sizes", default="100k,1M",
                        help="sizes at which the peers run too (default 100k,1M; 'all' or 'none')")
    parser.add_argument("--quick", action="store_true", help="10k and 100k, one run each: a smoke test")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run is killed")
    parser.add_argument("--mem-limit-gb", type=int, default=16, help="RSS (GiB) at which a run is killed")
    parser.add_argument("--single-run-above", type=float, default=120,
                        help="a run longer than this (s) is not repeated")
    parser.add_argument("--keep-books", action="store_true", help="keep the posted books in benchmarks/work")
    parser.add_argument("--no-install", action="store_true", help="do not install missing peers")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--skip", default="", help="comma list of operations to leave out: close, export_annual")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other sizes of an earlier raw.json in --out (e.g. a separate 10M run)")
    args = parser.parse_args(argv)
    args.skip = {x.strip() for x in args.skip.split(",") if x.strip()}
    if args.quick:
        args.sizes, args.peer_sizes, args.repeat = "10k,100k", "all", 1
    sizes = [generate.parse_size(s) for s in args.sizes.split(",") if s.strip()]
    peer_sizes = (set(sizes) if args.peer_sizes == "all" else set() if args.peer_sizes == "none"
                  else {generate.parse_size(s) for s in args.peer_sizes.split(",") if s.strip()})
    if not args.no_install:
        install_peers()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    raw = {"started": dt.datetime.now().isoformat(timespec="seconds"), "command": " ".join(["benchmarks/run.py", *(argv or sys.argv[1:])]),
           "machine": machine(), "versions": versions(), "repeat": args.repeat, "timeout": args.timeout,
           "mem_limit_gb": args.mem_limit_gb, "single_run_above": args.single_run_above, "sizes": []}
    args.out.mkdir(parents=True, exist_ok=True)
    earlier = []
    if args.merge and (args.out / "raw.json").exists():
        # Keep the sizes of an earlier run that this run does not measure again.
        previous = json.loads((args.out / "raw.json").read_text())
        earlier = [s for s in previous["sizes"] if generate.parse_size(s["size"]) not in sizes]
        for s in earlier:
            s.setdefault("from_run", previous["command"])
    for n in sorted(sizes):
        new = bench_size(n, args, env, n in peer_sizes)
        new["from_run"] = raw["command"]
        raw["sizes"] = sorted([*earlier, *[s for s in raw["sizes"] if s["size"] != new["size"]], new],
                              key=lambda s: s["lines"])
        (args.out / "raw.json").write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n")
        (args.out / "RESULTS.md").write_text(report(raw))
    print((args.out / "RESULTS.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
