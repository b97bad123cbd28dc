"""Deterministic generator of a state agency's year of books, for benchmarks.

Not part of the test suite.  ``python benchmarks/generate.py --size 1M --out DIR``
(exactly 1 000 000 journal lines) or ``--size 1Mtx`` (exactly 1 000 000 vouchers,
about 2.9M lines) writes, for the 2024 chart (``chart_of_accounts/accounts.csv``) and IMDi's
2024 budget catalogue (``fixtures/2024/budget.csv``):

- ``inputs/``       the year's inputs (budget, appropriations, agency facts) for ``ledger inputs import``;
- ``opening.csv``   the opening balance (one voucher dated 2024-01-01, kind ``opening``);
- ``journal.csv``   the year's journal in ``ledger``'s CSV format (exactly N lines, or
                    exactly N vouchers for an ``Ntx`` size), with the dimension columns
                    ``dim.leieavtale`` (lease term of rent lines, for note 5's rent table);
- ``year.journal``  the same transactions (opening included) for hledger, the
                    statskonto and dimensions as posting tags ``; statskonto:0670.01``;
- ``year.ledger``   the same for ledger-cli, as posting metadata ``; statskonto: 0670.01``;
- ``year.beancount`` the same for beancount, as posting metadata ``statskonto: "0670.01"``;
- ``manifest.json`` sizes, voucher counts, the seed and ``generator_version`` (bumped
                    whenever the output for a given size and seed changes, so that the
                    runner regenerates stale data).

The artskonto of payment lines is in the CSV only (the peers' reports do not use it).

Every voucher follows DOMAIN.md's patterns and passes ``ledger/journal/posting_rules.py``:
balanced, and the settlement identity (statskonto-coded lines sum to minus the
lines on KK 1930/1940 and mellomværende accounts).  The voucher mix:

====================  ===================================================  =====
kind                  lines                                                lines
====================  ===================================================  =====
payroll               D 5000 gross [0670.01] / C 1940 net / C 2600 tax /   4
                      C 2630 pension 2 %
employer's tax (AGA)  D 5400 [0670.01] / C 1986 [5700.72]                  2
withheld tax paid     D 2600 + D 2630 / C 1940 (settlement only)           3
invoice accrued       D cost + D 1987 VAT / C 2400 (SRS only); rent on     3
                      6300 carries a lease term (``dim.leieavtale``)
invoice paid          D 2400 [0670.01, artskonto of the cost] +            3
                      D 2400 [1633.01] / C 1940
grant                 D 8700/8760 [0671.60, 0671.61, 0672.60 …] / C 1940   2
repayment             D 1930 / C 8480 [5309.29]                            2
asset bought          D 1280/1250 [0671.45] / C 1940                       2
depreciation          D 6050 / C 1289                                      2
accrual + reversal    D 6300 / C 2960 (SRS only), lease term on 6300       2
group life            D 5990 [0670.01] / C 1985 [5309.29]                  2
====================  ===================================================  =====

Writing streams voucher by voucher (one voucher in memory at a time), so 10M
lines need no more memory than 100k.  The output is a pure function of the size
(lines or vouchers), ``--seed`` and ``GENERATOR_VERSION``.
"""

from __future__ import annotations

import argparse
import shutil
import datetime as dt
import json
import random
import sys
from pathlib import Path

YEAR = 2024
# Bump whenever the bytes written for a given size and seed change: the runner
# (benchmarks/run.py) regenerates data whose manifest has another version.
# 1: first version.  2: ``dim.leieavtale`` on rent lines (close --export needs it);
# dimensions as peer tags/metadata; sizes in vouchers (``1Mtx``).
GENERATOR_VERSION = 2
FORMATS = ("csv", "hledger", "ledger", "beancount")
FILE_NAMES = {"csv": "journal.csv", "hledger": "year.journal", "ledger": "year.ledger",
              "beancount": "year.beancount"}
DIMENSIONS = ("leieavtale",)  # the ``dim.*`` columns of journal.csv, in order
CSV_HEADER = "date,voucher,account,amount,statskonto,artskonto,text" + "".join(
    f",dim.{d}" for d in DIMENSIONS) + "\n"
NO_DIMS = ()
# Remaining lease term of the agency's rented premises (note 5 husleie: ``inntil1`` /
# ``1-5`` / ``over5`` name the layout's lines varighet_inntil_1_ar / _1_5_ar / _over_5_ar),
# with weights: most rent is on a 1-5 year lease.
LEASE_TERMS = ((("leieavtale", "inntil1"),), (("leieavtale", "1-5"),), (("leieavtale", "1-5"),),
               (("leieavtale", "1-5"),), (("leieavtale", "over5"),))
RENT_ACCOUNTS = frozenset({"6300"})  # note_map.csv: note 5 husleie is 6300-6319

MUNICIPALITIES = (
    "Oslo", "Bergen", "Trondheim", "Stavanger", "Kristiansand", "Drammen", "Fredrikstad",
    "Tromsø", "Sandnes", "Asker", "Bærum", "Lillestrøm", "Sarpsborg", "Skien", "Bodø",
    "Ålesund", "Larvik", "Tønsberg", "Arendal", "Haugesund", "Porsgrunn", "Molde", "Narvik",
    "Hamar", "Gjøvik", "Lillehammer", "Harstad", "Alta", "Kongsberg", "Halden", "Steinkjer",
    "Kirkenes", "Vadsø", "Hammerfest", "Førde", "Voss", "Mo i Rana", "Namsos", "Elverum",
)
# (cost account, its artskonto, text) of invoices; all on the chart.
INVOICE_COSTS = (
    ("6300", "630", "Husleie"), ("6390", "639", "Drift lokaler"), ("6420", "642", "Lisenser"),
    ("6700", "670", "Revisjonsbistand"), ("6710", "671", "Utvikling IKT"),
    ("6720", "672", "Organisasjonsutvikling"), ("6730", "673", "Konsulent"),
    ("6750", "675", "Driftstjenester IKT"), ("6780", "678", "Kjøp av fremmede tjenester"),
    ("6800", "680", "Kontorrekvisita"), ("6860", "686", "Møter"), ("6870", "687", "Kurs"),
    ("6900", "690", "Telefoni"), ("7130", "713", "Reisekostnad"), ("7790", "779", "Annen kostnad"),
)
GRANTS = (
    ("8700", "0671.60", "Integreringstilskudd"), ("8700", "0671.61", "Særskilt tilskudd EM"),
    ("8700", "0671.62", "Kommunale innvandrertiltak"), ("8700", "0672.60", "Norskopplæring"),
    ("8760", "0671.71", "Tilskudd frivillige organisasjoner"),
)
# The opening balance 01.01 (øre): assets and debts carried over from last year.
OPENING = (
    ("1280", 850_000_000, "IKT-utstyr anskaffelseskost"),
    ("1289", -310_000_000, "Akkumulerte avskrivninger IKT-utstyr"),
    ("1250", 220_000_000, "Inventar anskaffelseskost"),
    ("1259", -90_000_000, "Akkumulerte avskrivninger inventar"),
    ("1540", 4_500_000, "Personallån"),
    ("1700", 12_000_000, "Forskuddsbetalt leie"),
    ("2400", -95_000_000, "Leverandørgjeld"),
    ("2600", -41_000_000, "Forskuddstrekk"),
    ("2940", -66_000_000, "Skyldige feriepenger"),
    ("1990", -484_500_000, "Avregnet med statskassen"),
)
# Voucher kinds and their weights in the mix (a cycle of 40 vouchers).
MIX = (["payroll"] * 8 + ["aga"] * 4 + ["taxpaid"] * 1 + ["invoice"] * 9 + ["payment"] * 9
       + ["grant"] * 5 + ["repayment"] * 1 + ["asset"] * 1 + ["depreciation"] * 1 + ["accrual"] * 1)


def parse_size(text: str) -> int:
    """``100k`` / ``1M`` / ``2.5M`` / ``1000`` → an int."""
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}.get(text[-1:], 1)
    number = text[:-1] if factor != 1 else text
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"not a size: {text!r} (e.g. 100k, 1M, 2.5M, 1000)") from None
    if value <= 0 or value * factor != int(value * factor):
        raise ValueError(f"not a whole positive size: {text!r}")
    return int(value * factor)


def size_label(n: int) -> str:
    for factor, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= factor and n % factor == 0:
            return f"{n // factor}{suffix}"
    return str(n)


UNITS = ("lines", "vouchers")
TX_SUFFIXES = ("tx", "v")  # ``1Mtx`` / ``1Mv`` = 1 000 000 vouchers
MEAN_LINES_PER_VOUCHER = 2.875  # of the MIX below (115 lines per 40 vouchers)


def parse_spec(text: str) -> tuple[int, str]:
    """A size: ``100k`` / ``1M`` (journal lines) or ``1Mtx`` (vouchers) → (n, unit)."""
    raw = text.strip()
    low = raw.lower()
    for suffix in TX_SUFFIXES:
        if low.endswith(suffix) and len(low) > len(suffix):
            return parse_size(raw[: -len(suffix)]), "vouchers"
    return parse_size(raw), "lines"


def spec_label(n: int, unit: str = "lines") -> str:
    """(1_000_000, "lines") → ``1M``; (1_000_000, "vouchers") → ``1Mtx``."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    return size_label(n) + ("tx" if unit == "vouchers" else "")


def expected_lines(n: int, unit: str) -> int:
    """Journal lines of a size (estimated for a size in vouchers)."""
    return n if unit == "lines" else round(n * MEAN_LINES_PER_VOUCHER)


def kr(ore: int) -> str:
    """øre → ``-1234.50`` (exact, no float)."""
    sign = "-" if ore < 0 else ""
    q, r = divmod(abs(ore), 100)
    return f"{sign}{q}.{r:02d}"


class Vouchers:
    """The year's vouchers, one at a time: (date, id, text, lines).

    A line is ``(account, øre, statskonto, artskonto, dims)``, ``dims`` a tuple of
    (dimension, value) pairs (``NO_DIMS`` for none).  ``unit`` "lines": exactly
    ``target`` lines (the last vouchers are sized to fit); "vouchers": exactly
    ``target`` vouchers.
    """

    def __init__(self, target: int, seed: int, unit: str = "lines"):
        if unit not in UNITS:
            raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
        if unit == "lines" and target == 1:
            raise ValueError("a voucher has at least 2 lines: 1 line cannot be generated")
        self.target, self.unit = target, unit
        self.rng = random.Random(seed)
        self.written = 0
        self.count = 0
        self.pending_payments: list[tuple[str, int, int, str]] = []
        self.days = [(dt.date(YEAR, 1, 1) + dt.timedelta(days=d)).isoformat() for d in range(366)]

    def __iter__(self):
        if self.unit == "vouchers":
            yield from self._by_vouchers()
            return
        rng, mix = self.rng, MIX
        while self.written < self.target:
            left = self.target - self.written
            kind = mix[self.count % len(mix)]
            date = self.days[min(365, self.written * 366 // self.target)]
            self.count += 1
            vid = f"V{self.count:09d}"
            voucher = getattr(self, "_" + kind)(rng)
            text, lines = voucher
            if len(lines) > left or left - len(lines) == 1:
                # Near the end: a voucher of 2-4 lines that never leaves a single line over.
                text, lines = self._filler(rng, left if left <= 4 else 3)
            self.written += len(lines)
            yield date, vid, text, lines

    def _by_vouchers(self):
        rng, mix, methods = self.rng, MIX, {kind: getattr(self, "_" + kind) for kind in set(MIX)}
        while self.count < self.target:
            date = self.days[min(365, self.count * 366 // self.target)]
            text, lines = methods[mix[self.count % len(mix)]](rng)
            self.count += 1
            self.written += len(lines)
            yield date, f"V{self.count:09d}", text, lines

    # -- the voucher kinds -----------------------------------------------------
    def _payroll(self, rng):
        gross = rng.randrange(3_000_000, 9_000_000)          # 30 000 - 90 000 kr
        tax = gross * rng.randrange(28, 38) // 100
        pension = gross * 2 // 100
        return "Lønn", [("5000", gross, "0670.01", "", NO_DIMS), ("1940", -(gross - tax - pension), "", "", NO_DIMS),
                        ("2600", -tax, "", "", NO_DIMS), ("2630", -pension, "", "", NO_DIMS)]

    def _aga(self, rng):
        aga = rng.randrange(400_000, 1_300_000)
        return "Arbeidsgiveravgift", [("5400", aga, "0670.01", "", NO_DIMS), ("1986", -aga, "5700.72", "", NO_DIMS)]

    def _taxpaid(self, rng):
        tax, pension = rng.randrange(1_000_000, 30_000_000), rng.randrange(100_000, 2_000_000)
        return "Forskuddstrekk og pensjonstrekk betalt", [
            ("2600", tax, "", "", NO_DIMS), ("2630", pension, "", "", NO_DIMS), ("1940", -(tax + pension), "", "", NO_DIMS)]

    def _invoice(self, rng):
        account, artskonto, what = INVOICE_COSTS[rng.randrange(len(INVOICE_COSTS))]
        net = rng.randrange(50_000, 50_000_000)
        vat = net // 4
        self.pending_payments.append((what, net, vat, artskonto))
        dims = LEASE_TERMS[rng.randrange(len(LEASE_TERMS))] if account in RENT_ACCOUNTS else NO_DIMS
        return f"{what} faktura", [(account, net, "", "", dims), ("1987", vat, "", "", NO_DIMS),
                                   ("2400", -(net + vat), "", "", NO_DIMS)]

    def _payment(self, rng):
        if self.pending_payments:
            what, net, vat, artskonto = self.pending_payments.pop(0)
        else:
            what, artskonto = "Konsulent", "673"
            net = rng.randrange(50_000, 50_000_000)
            vat = net // 4
        return f"{what} betalt", [("2400", net, "0670.01", artskonto, NO_DIMS), ("2400", vat, "1633.01", "", NO_DIMS),
                                  ("1940", -(net + vat), "", "", NO_DIMS)]

    def _grant(self, rng):
        account, statskonto, what = GRANTS[rng.randrange(len(GRANTS))]
        amount = rng.randrange(10_000_000, 2_000_000_000)
        municipality = MUNICIPALITIES[rng.randrange(len(MUNICIPALITIES))]
        return f"{what} {municipality} kommune", [(account, amount, statskonto, "", NO_DIMS), ("1940", -amount, "", "", NO_DIMS)]

    def _repayment(self, rng):
        amount = rng.randrange(100_000, 50_000_000)
        municipality = MUNICIPALITIES[rng.randrange(len(MUNICIPALITIES))]
        return f"Tilbakebetalt tilskudd {municipality} kommune", [
            ("1930", amount, "", "", NO_DIMS), ("8480", -amount, "5309.29", "", NO_DIMS)]

    def _asset(self, rng):
        account = "1280" if rng.random() < 0.7 else "1250"
        amount = rng.randrange(1_000_000, 40_000_000)
        return "Kjøp driftsmiddel", [(account, amount, "0671.45", "", NO_DIMS), ("1940", -amount, "", "", NO_DIMS)]

    def _depreciation(self, rng):
        amount = rng.randrange(100_000, 5_000_000)
        return "Avskrivning IKT-utstyr", [("6050", amount, "", "", NO_DIMS), ("1289", -amount, "", "", NO_DIMS)]

    def _accrual(self, rng):
        amount = rng.randrange(100_000, 20_000_000)
        term = LEASE_TERMS[rng.randrange(len(LEASE_TERMS))]
        if rng.random() < 0.5:
            return "Periodisering husleie", [("6300", amount, "", "", term), ("2960", -amount, "", "", NO_DIMS)]
        return "Tilbakeføring periodisering", [("2960", amount, "", "", NO_DIMS), ("6300", -amount, "", "", term)]

    def _filler(self, rng, left: int):
        if left == 4:
            return self._payroll(rng)
        if left == 3:
            return self._taxpaid(rng)
        amount = rng.randrange(10_000, 1_000_000)
        return "Gruppelivsforsikring", [("5990", amount, "0670.01", "", NO_DIMS), ("1985", -amount, "5309.29", "", NO_DIMS)]


# -- writers -------------------------------------------------------------------
def beancount_account(account: str) -> str:
    root = {"1": "Assets", "2": "Liabilities", "3": "Income"}.get(account[0], "Expenses")
    return f"{root}:A{account}"


class Writers:
    """Open output files and write each voucher in every format asked for.

    The statskonto and the dimensions of a line go to the peers as posting tags
    (hledger ``; statskonto:0670.01, leieavtale:1-5``), metadata lines (ledger-cli
    ``; statskonto: 0670.01``) and posting metadata (beancount ``statskonto: "0670.01"``).
    """

    def __init__(self, out: Path, formats: set[str]):
        self.files = {}
        self._tails: dict[tuple, tuple[str, str, str, str]] = {}
        for fmt in FORMATS:
            if fmt in formats:
                self.files[fmt] = open(out / FILE_NAMES[fmt], "w", encoding="utf-8", newline="\n",
                                       buffering=1 << 20)
        if "csv" in self.files:
            self.files["csv"].write(CSV_HEADER)
        if "beancount" in self.files:
            accounts = sorted({a for a, _, _ in OPENING} | _all_accounts())
            header = ['option "title" "Benchmark agency 2024"', 'option "operating_currency" "NOK"', ""]
            header += [f"2023-12-31 open {beancount_account(a)} NOK" for a in accounts]
            self.files["beancount"].write("\n".join(header) + "\n\n")

    def _tail(self, statskonto: str, dims: tuple) -> tuple[str, str, str, str]:
        """What follows a line's amount in each format (csv, hledger, ledger, beancount)."""
        key = (statskonto, dims)
        found = self._tails.get(key)
        if found is None:
            named = dict(dims)
            unknown = set(named) - set(DIMENSIONS)
            if unknown:
                raise ValueError(f"dimensions {sorted(unknown)} are not columns of journal.csv {DIMENSIONS}")
            tags = ([("statskonto", statskonto)] if statskonto else []) + list(dims)
            found = (
                "".join(f",{named.get(d, '')}" for d in DIMENSIONS),
                (f"  ; {', '.join(f'{k}:{v}' for k, v in tags)}" if tags else "") + "\n",
                ("".join(f"  ; {k}: {v}" if i == 0 else f"\n        ; {k}: {v}" for i, (k, v) in enumerate(tags)))
                + "\n",
                "".join(f'    {k}: "{v}"\n' for k, v in tags),
            )
            self._tails[key] = found
        return found

    def write(self, date, vid, text, lines, csv=True):
        f, tail = self.files, self._tail
        if csv and "csv" in f:
            f["csv"].write("".join(f"{date},{vid},{a},{kr(o)},{s},{k},{text}{tail(s, d)[0]}\n"
                                   for a, o, s, k, d in lines))
        if "hledger" in f:
            f["hledger"].write(f"{date} {vid} | {text}\n" + "".join(
                f"    {a}  {kr(o)}{tail(s, d)[1]}" for a, o, s, k, d in lines) + "\n")
        if "ledger" in f:
            f["ledger"].write(f"{date} ({vid}) {text}\n" + "".join(
                f"    {a}  {kr(o)}{tail(s, d)[2]}" for a, o, s, k, d in lines) + "\n")
        if "beancount" in f:
            f["beancount"].write(f'{date} * "{vid}" "{text}"\n' + "".join(
                f"  {beancount_account(a)}  {kr(o)} NOK\n{tail(s, d)[3]}" for a, o, s, k, d in lines) + "\n")

    def close(self):
        for f in self.files.values():
            f.close()


def _all_accounts() -> set[str]:
    found = {"5000", "1940", "2600", "2630", "5400", "1986", "1987", "2400", "1930", "8480",
             "1280", "1250", "6050", "1289", "6300", "2960", "5990", "1985"}
    found |= {a for a, _, _ in INVOICE_COSTS} | {a for a, _, _ in GRANTS}
    return found


def generate(n: int, out: Path, formats: set[str], seed: int = 2024, unit: str = "lines") -> dict:
    """Write the books of ``n`` journal lines (``unit="vouchers"``: ``n`` vouchers) into
    ``out``; return the manifest.

    The manifest is removed first and written last, so a folder whose generation was
    interrupted has none (and the runner regenerates it).  Peer files of formats not
    asked for are removed, so that the folder holds exactly what the manifest lists.
    """
    if unknown := set(formats) - set(FORMATS):
        raise ValueError(f"unknown format(s): {', '.join(sorted(unknown))}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").unlink(missing_ok=True)
    for fmt, name in FILE_NAMES.items():
        if fmt not in formats:
            (out / name).unlink(missing_ok=True)
    opening_lines = [(a, o, "", "", NO_DIMS) for a, o, _ in OPENING]
    assert sum(o for _, o, _ in OPENING) == 0
    with open(out / "opening.csv", "w", encoding="utf-8", newline="\n") as f:
        f.write(CSV_HEADER)
        empty_dims = "," * len(DIMENSIONS)
        f.writelines(f"{YEAR}-01-01,IB{YEAR},{a},{kr(o)},,,{t}{empty_dims}\n" for a, o, t in OPENING)
    writers = Writers(out, formats)
    writers.write(f"{YEAR}-01-01", f"IB{YEAR}", "Inngående balanse", opening_lines, csv=False)
    vouchers = Vouchers(n, seed, unit)
    for date, vid, text, voucher_lines in vouchers:
        writers.write(date, vid, text, voucher_lines)
    writers.close()
    write_inputs(out / "inputs")
    manifest = {"generator_version": GENERATOR_VERSION, "label": spec_label(n, unit), "unit": unit,
                "target": n, "lines": vouchers.written, "vouchers": vouchers.count, "seed": seed,
                "year": YEAR, "opening_lines": len(OPENING), "dimensions": list(DIMENSIONS),
                "formats": sorted(formats)}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def write_inputs(folder: Path) -> None:
    """The year's inputs (``ledger inputs import``): IMDi's 2024 budget catalogue and
    appropriations (the generator posts on its statskontoer) and agency facts."""
    source = Path(__file__).resolve().parents[1] / "fixtures" / "2024"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("budget.csv", "appropriations.csv"):
        shutil.copyfile(source / name, folder / name)
    (folder / "agency.toml").write_text(f'name = "Benchmarkdirektoratet"\nshort_name = "BENCH"\nyear = {YEAR}\n'
                                        "employees = 280\nagreed_fte = 270\nperformed_fte = 240\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--size", help="100k / 1M / 10M journal lines, or 1Mtx = 1 000 000 vouchers")
    size.add_argument("--lines", help="journal lines, e.g. 100k, 1M, 10M")
    size.add_argument("--vouchers", help="vouchers (transactions), e.g. 1M")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--formats", default=",".join(FORMATS), help=f"comma list of {', '.join(FORMATS)}")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    formats = {f.strip() for f in args.formats.split(",") if f.strip()}
    if unknown := formats - set(FORMATS):
        parser.error(f"unknown format(s): {', '.join(sorted(unknown))}")
    try:
        if args.size:
            n, unit = parse_spec(args.size)
        elif args.lines:
            n, unit = parse_size(args.lines), "lines"
        else:
            n, unit = parse_size(args.vouchers), "vouchers"
    except ValueError as e:
        parser.error(str(e))
    manifest = generate(n, args.out, formats, args.seed, unit)
    print(json.dumps(manifest), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
