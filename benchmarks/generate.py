"""Deterministic generator of a state agency's year of books, for benchmarks.

Not part of the test suite.  ``python benchmarks/generate.py --lines 1M --out DIR``
writes, for the 2024 chart (``chart_of_accounts/accounts.csv``) and budget
catalogue (``chart_of_accounts/budget_2024.csv``):

- ``opening.csv``   the opening balance (one voucher dated 2024-01-01, kind ``opening``);
- ``journal.csv``   the year's journal in ``ledger``'s CSV format (exactly N lines);
- ``year.journal``  the same transactions (opening included) for hledger, the
                    statskonto as a posting tag ``; statskonto:0670.01``;
- ``year.ledger``   the same for ledger-cli, as posting metadata ``; statskonto: 0670.01``;
- ``year.beancount`` the same for beancount, as posting metadata ``statskonto: "0670.01"``;
- ``manifest.json`` sizes, voucher counts and the seed.

Every voucher follows DOMAIN.md's patterns and passes ``ledger/rules.py``:
balanced, and the settlement identity (statskonto-coded lines sum to minus the
lines on KK 1930/1940 and mellomværende accounts).  The voucher mix:

====================  ===================================================  =====
kind                  lines                                                lines
====================  ===================================================  =====
payroll               D 5000 gross [0670.01] / C 1940 net / C 2600 tax /   4
                      C 2630 pension 2 %
employer's tax (AGA)  D 5400 [0670.01] / C 1986 [5700.72]                  2
withheld tax paid     D 2600 + D 2630 / C 1940 (settlement only)           3
invoice accrued       D cost + D 1987 VAT / C 2400 (SRS only)              3
invoice paid          D 2400 [0670.01, artskonto of the cost] +            3
                      D 2400 [1633.01] / C 1940
grant                 D 8700/8760 [0671.60, 0671.61, 0672.60 …] / C 1940   2
repayment             D 1930 / C 8480 [5309.29]                            2
asset bought          D 1280/1250 [0671.45] / C 1940                       2
depreciation          D 6050 / C 1289                                      2
accrual + reversal    D 6300 / C 2960 (SRS only)                           2
group life            D 5990 [0670.01] / C 1985 [5309.29]                  2
====================  ===================================================  =====

Writing streams voucher by voucher (one voucher in memory at a time), so 10M
lines need no more memory than 100k.  The output is a pure function of
``--lines`` and ``--seed``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

YEAR = 2024
FORMATS = ("csv", "hledger", "ledger", "beancount")
CSV_HEADER = "date,voucher,account,amount,statskonto,artskonto,text\n"

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
    ("6750", "675", "Driftstjenester IKT"), ("6781", "678", "Tolketjenester"),
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
    return int(float(number) * factor)


def size_label(n: int) -> str:
    for factor, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= factor and n % factor == 0:
            return f"{n // factor}{suffix}"
    return str(n)


def kr(ore: int) -> str:
    """øre → ``-1234.50`` (exact, no float)."""
    sign = "-" if ore < 0 else ""
    q, r = divmod(abs(ore), 100)
    return f"{sign}{q}.{r:02d}"


class Vouchers:
    """The year's vouchers, one at a time: (date, id, text, [(account, øre, statskonto, artskonto)])."""

    def __init__(self, target_lines: int, seed: int):
        self.target = target_lines
        self.rng = random.Random(seed)
        self.written = 0
        self.count = 0
        self.pending_payments: list[tuple[str, int, int, str]] = []
        self.days = [(dt.date(YEAR, 1, 1) + dt.timedelta(days=d)).isoformat() for d in range(366)]

    def __iter__(self):
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

    # -- the voucher kinds -----------------------------------------------------
    def _payroll(self, rng):
        gross = rng.randrange(3_000_000, 9_000_000)          # 30 000 - 90 000 kr
        tax = gross * rng.randrange(28, 38) // 100
        pension = gross * 2 // 100
        return "Lønn", [("5000", gross, "0670.01", ""), ("1940", -(gross - tax - pension), "", ""),
                        ("2600", -tax, "", ""), ("2630", -pension, "", "")]

    def _aga(self, rng):
        aga = rng.randrange(400_000, 1_300_000)
        return "Arbeidsgiveravgift", [("5400", aga, "0670.01", ""), ("1986", -aga, "5700.72", "")]

    def _taxpaid(self, rng):
        tax, pension = rng.randrange(1_000_000, 30_000_000), rng.randrange(100_000, 2_000_000)
        return "Forskuddstrekk og pensjonstrekk betalt", [
            ("2600", tax, "", ""), ("2630", pension, "", ""), ("1940", -(tax + pension), "", "")]

    def _invoice(self, rng):
        account, artskonto, what = INVOICE_COSTS[rng.randrange(len(INVOICE_COSTS))]
        net = rng.randrange(50_000, 50_000_000)
        vat = net // 4
        self.pending_payments.append((what, net, vat, artskonto))
        return f"{what} faktura", [(account, net, "", ""), ("1987", vat, "", ""), ("2400", -(net + vat), "", "")]

    def _payment(self, rng):
        if self.pending_payments:
            what, net, vat, artskonto = self.pending_payments.pop(0)
        else:
            what, artskonto = "Konsulent", "673"
            net = rng.randrange(50_000, 50_000_000)
            vat = net // 4
        return f"{what} betalt", [("2400", net, "0670.01", artskonto), ("2400", vat, "1633.01", ""),
                                  ("1940", -(net + vat), "", "")]

    def _grant(self, rng):
        account, statskonto, what = GRANTS[rng.randrange(len(GRANTS))]
        amount = rng.randrange(10_000_000, 2_000_000_000)
        municipality = MUNICIPALITIES[rng.randrange(len(MUNICIPALITIES))]
        return f"{what} {municipality} kommune", [(account, amount, statskonto, ""), ("1940", -amount, "", "")]

    def _repayment(self, rng):
        amount = rng.randrange(100_000, 50_000_000)
        municipality = MUNICIPALITIES[rng.randrange(len(MUNICIPALITIES))]
        return f"Tilbakebetalt tilskudd {municipality} kommune", [
            ("1930", amount, "", ""), ("8480", -amount, "5309.29", "")]

    def _asset(self, rng):
        account = "1280" if rng.random() < 0.7 else "1250"
        amount = rng.randrange(1_000_000, 40_000_000)
        return "Kjøp driftsmiddel", [(account, amount, "0671.45", ""), ("1940", -amount, "", "")]

    def _depreciation(self, rng):
        amount = rng.randrange(100_000, 5_000_000)
        return "Avskrivning IKT-utstyr", [("6050", amount, "", ""), ("1289", -amount, "", "")]

    def _accrual(self, rng):
        amount = rng.randrange(100_000, 20_000_000)
        if rng.random() < 0.5:
            return "Periodisering husleie", [("6300", amount, "", ""), ("2960", -amount, "", "")]
        return "Tilbakeføring periodisering", [("2960", amount, "", ""), ("6300", -amount, "", "")]

    def _filler(self, rng, left: int):
        if left == 4:
            return self._payroll(rng)
        if left == 3:
            return self._taxpaid(rng)
        amount = rng.randrange(10_000, 1_000_000)
        return "Gruppelivsforsikring", [("5990", amount, "0670.01", ""), ("1985", -amount, "5309.29", "")]


# -- writers -------------------------------------------------------------------
def beancount_account(account: str) -> str:
    root = {"1": "Assets", "2": "Liabilities", "3": "Income"}.get(account[0], "Expenses")
    return f"{root}:A{account}"


class Writers:
    """Open output files and write each voucher in every format asked for."""

    def __init__(self, out: Path, formats: set[str]):
        self.files = {}
        names = {"csv": "journal.csv", "hledger": "year.journal", "ledger": "year.ledger",
                 "beancount": "year.beancount"}
        for fmt in formats:
            self.files[fmt] = open(out / names[fmt], "w", encoding="utf-8", newline="\n",
                                   buffering=1 << 20)
        if "csv" in self.files:
            self.files["csv"].write(CSV_HEADER)
        if "beancount" in self.files:
            accounts = sorted({a for a, _, _ in OPENING} | _all_accounts())
            header = ['option "title" "Benchmark agency 2024"', 'option "operating_currency" "NOK"', ""]
            header += [f"2023-12-31 open {beancount_account(a)} NOK" for a in accounts]
            self.files["beancount"].write("\n".join(header) + "\n\n")

    def write(self, date, vid, text, lines, csv=True):
        f = self.files
        if csv and "csv" in f:
            f["csv"].write("".join(f"{date},{vid},{a},{kr(o)},{s},{k},{text}\n" for a, o, s, k in lines))
        if "hledger" in f:
            f["hledger"].write(f"{date} {vid} | {text}\n" + "".join(
                f"    {a}  {kr(o)}" + (f"  ; statskonto:{s}\n" if s else "\n") for a, o, s, k in lines) + "\n")
        if "ledger" in f:
            f["ledger"].write(f"{date} ({vid}) {text}\n" + "".join(
                f"    {a}  {kr(o)}" + (f"  ; statskonto: {s}\n" if s else "\n") for a, o, s, k in lines) + "\n")
        if "beancount" in f:
            f["beancount"].write(f'{date} * "{vid}" "{text}"\n' + "".join(
                f"  {beancount_account(a)}  {kr(o)} NOK\n" + (f'    statskonto: "{s}"\n' if s else "")
                for a, o, s, k in lines) + "\n")

    def close(self):
        for f in self.files.values():
            f.close()


def _all_accounts() -> set[str]:
    found = {"5000", "1940", "2600", "2630", "5400", "1986", "1987", "2400", "1930", "8480",
             "1280", "1250", "6050", "1289", "6300", "2960", "5990", "1985"}
    found |= {a for a, _, _ in INVOICE_COSTS} | {a for a, _, _ in GRANTS}
    return found


def generate(lines: int, out: Path, formats: set[str], seed: int = 2024) -> dict:
    """Write the books of ``lines`` journal lines into ``out``; return the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    opening_lines = [(a, o, "", "") for a, o, _ in OPENING]
    assert sum(o for _, o, _ in OPENING) == 0
    with open(out / "opening.csv", "w", encoding="utf-8", newline="\n") as f:
        f.write(CSV_HEADER)
        f.writelines(f"{YEAR}-01-01,IB{YEAR},{a},{kr(o)},,,{t}\n" for a, o, t in OPENING)
    writers = Writers(out, formats)
    writers.write(f"{YEAR}-01-01", f"IB{YEAR}", "Inngående balanse", opening_lines, csv=False)
    vouchers = Vouchers(lines, seed)
    for date, vid, text, voucher_lines in vouchers:
        writers.write(date, vid, text, voucher_lines)
    writers.close()
    manifest = {"lines": vouchers.written, "vouchers": vouchers.count, "seed": seed, "year": YEAR,
                "opening_lines": len(OPENING), "formats": sorted(formats)}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", required=True, help="journal lines, e.g. 100k, 1M, 10M")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--formats", default=",".join(FORMATS), help=f"comma list of {', '.join(FORMATS)}")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    formats = {f.strip() for f in args.formats.split(",") if f.strip()}
    if unknown := formats - set(FORMATS):
        parser.error(f"unknown format(s): {', '.join(sorted(unknown))}")
    manifest = generate(parse_size(args.lines), args.out, formats, args.seed)
    print(json.dumps(manifest), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
