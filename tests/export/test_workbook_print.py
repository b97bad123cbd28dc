"""IMDi's 2024 workbook read back as a reader of the printed annual report sees it (issue #15)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import attrs
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from ledger.books.store import Books
from ledger.cli.annual import annual_accounts
from ledger.export.accounts import YearEvent, year_history
from ledger.export.xlsx import CHECKS, COVER, HEADER_ROW, ID_ROW, build_workbook, fill_text, id_column
from tests.support.annual_helpers import written_workbook


@pytest.fixture(scope="module")
def accounts(imdi_2024_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("imdi") / "books.sqlite"
    shutil.copy(imdi_2024_template, path)
    with Books.open(path) as books:
        _, accounts = annual_accounts(books, 2024, "test")
    return attrs.evolve(accounts, generated_at=dt.datetime(2025, 3, 14, 12, 0, tzinfo=dt.timezone.utc))


@pytest.fixture(scope="module")
def workbook(accounts, tmp_path_factory):
    return written_workbook(accounts, tmp_path_factory.mktemp("out"))


def _row_of(sheet, line_id):
    at = id_column(sheet)
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, at).value == line_id)


def _texts(sheet, row, upto):
    return [sheet.cell(row, c).value for c in range(1, upto + 1)]


def _print_columns(sheet):
    area = sheet.print_area if isinstance(sheet.print_area, str) else sheet.print_area[0]
    min_col, _, max_col, _ = range_boundaries(area.split("!")[-1].replace("$", ""))
    return min_col, max_col


def test_appropriation_report_has_the_publications_columns(workbook):
    sheet = workbook["Bevilgningsrapportering"]
    # "Samlet tildeling**" as IMDi prints it (seed l.4059-4060), its marker a row of IMDi's footnotes.csv
    assert _texts(sheet, HEADER_ROW, 8) == ["Utgiftskapittel", "Kapittelnavn", "Post", "Posttekst", "Note",
                                           "Samlet tildeling **", "Regnskap 2024", "Merutgift (-) og mindreutgift"]
    row = _row_of(sheet, "0670.01")
    assert _texts(sheet, row, 5) == ["0670", "Integrerings- og mangfoldsdirektoratet", "01", "Driftsutgifter", "A, B"]
    # every Driftsutgifter row says which chapter and post it is
    for line_id in ("0858.01", "1633.01"):
        chapter, _, post = line_id.partition(".")
        assert _texts(sheet, _row_of(sheet, line_id), 4)[::2] == [chapter, post]
    income = next(r for r in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Inntektskapittel")
    assert sheet.cell(income, 8).value == "Merinntekt og mindreinntekt(-)"
    assert sheet.cell(income, 6).value == "Samlet tildeling **"  # a column's marker in every header
    assert income < _row_of(sheet, "5309.29")


def test_capital_accounts_print_the_agencys_numbers(workbook, accounts):
    sheet = workbook["Bevilgningsrapportering"]
    numbers = accounts.agency["capital_accounts"]
    for line_id, key in (("kk_innbetalinger", "kk_innbetalinger"), ("kk_utbetalinger", "kk_utbetalinger"),
                         ("endring_mellomvaerende", "mellomvaerende")):
        row = _row_of(sheet, line_id)
        assert sheet.cell(row, 1).value == numbers[key]
        assert sheet.cell(row, 6).value is None and sheet.cell(row, 8).value is None  # regnskap only
    assert [numbers[k] for k in ("kk_innbetalinger", "kk_utbetalinger", "mellomvaerende")] == \
        ["60088701", "60088702", "705005"]
    holdings = workbook["Beholdninger"]
    assert holdings.cell(_row_of(holdings, "mellomvaerende"), 1).value == "705005"


def test_explain_ids_are_kept_but_never_printed(workbook):
    for sheet in workbook.worksheets:
        if sheet.title in (COVER, CHECKS):
            continue
        assert sheet.row_dimensions[ID_ROW].hidden, sheet.title
        at = id_column(sheet)
        _, last = _print_columns(sheet)
        assert at > last, sheet.title
        assert sheet.column_dimensions[get_column_letter(at)].hidden, sheet.title
    cover = workbook[COVER]
    assert any("skjulte" in str(c.value) for row in cover.iter_rows() for c in row)


def test_no_empty_note_column(workbook):
    assert workbook["Note 2"].cell(HEADER_ROW, 2).value != "Note"
    assert workbook["Resultatregnskap"].cell(HEADER_ROW, 2).value == "Note"


def test_blanks_where_the_publication_leaves_blanks(workbook):
    sheet = workbook["Note 7A"]
    row = _row_of(sheet, "konsernkonto_utbetaling")
    assert sheet.cell(row, 2).value is None and sheet.cell(row, 3).value is None
    assert sheet.cell(row, 4).value == -26247234315
    first = _row_of(sheet, "avregnet_i_balansen")
    assert [sheet.cell(first, c).value for c in (2, 3, 4)] == [139532664, 123320870, 16211794]


def test_useful_lives_from_the_asset_groups(workbook):
    note_3, note_4 = workbook["Note 3"], workbook["Note 4"]
    assert _texts(note_3, _row_of(note_3, "avskrivningssatser"), 4) == [
        "Avskrivningssatser (levetider)", "5-10 år", None, None]
    assert _texts(note_4, _row_of(note_4, "avskrivningssatser"), 3)[1:] == ["3-10 år lineært", "ingen avskrivning"]


def test_footnotes_filled_from_the_figures(workbook):
    def texts(name):
        return [str(c.value) for row in workbook[name].iter_rows() for c in row if isinstance(c.value, str)]
    note_b = " ".join(texts("Note B"))
    assert "pluss 5 % av årets bevilgning" in note_b and "siste 2 års bevilgning" in note_b
    assert "R-2/2025" in note_b and "Forklaring til bruk av fullmakter" in note_b
    assert "på 700 000 kroner på kap. 0490, post 23" in note_b and "[mangler" not in note_b
    assert "Maks. overførbart beløp **" in texts("Note B")  # the marker a footnotes.csv row on the column
    note_2 = texts("Note 2")
    assert "Lønn*" in note_2 and any(t.startswith("* På bakgrunn av at lønnsoppgjøret i staten for 2024") for t in note_2)
    # the provision 3 898 706 (IMDi's account 5091) and its employer's tax 549 718 (5411), as published (l.4500)
    assert any("som utgjør 4 448 424 kroner." in t for t in note_2)
    note_13 = " ".join(texts("Note 13"))
    assert "Det er satt av 3 898 706 kr" in note_13 and "Totalt er det satt av 4 448 424 kr" in note_13
    assert "hvorav 549 718 kr for arbeidsgiveravgift" in note_13 and "fra 228 til 242 utførte årsverk" in note_13
    assert any("Økt med 3,5 milliarder".lower() in t.lower() for t in texts("Bevilgningsrapportering"))
    assert any(t.startswith("* Overført fra i fjor") for t in texts("Note A"))


def _below(sheet):
    """The texts after the last line of a statement sheet (its footnotes), in print order."""
    at = id_column(sheet)
    last = max(r for r in range(HEADER_ROW + 2, sheet.max_row + 1) if sheet.cell(r, at).value)
    return [str(sheet.cell(r, 1).value) for r in range(last + 1, sheet.max_row + 1) if sheet.cell(r, 1).value]


def test_note_5_marks_its_specifications_as_the_publication_does(workbook):
    # note 5's superscripts (seed l.4584-4593): ¹²⁴⁵ are the specifications, whose titles begin with
    # them (l.4595, 4608, 4644, 4657); ³ is a text of its own (l.4619-4620)
    note_5 = workbook["Note 5"]
    labels = {note_5.cell(_row_of(note_5, i), 1).value for i in (
        "husleie", "leie_maskiner", "kjop_konsulenttjenester", "kjop_fremmede_tjenester", "ovrige_driftskostnader")}
    assert labels == {"Husleie¹", "Leie maskiner, inventar og lignende²", "Kjøp av konsulenttjenester³",
                      "Kjøp av andre fremmede tjenester⁴", "Øvrige driftskostnader⁵"}
    assert _below(note_5) == ["³ Konsulenttjenester benyttes for kjøp av tjenester som økonomi/juss og "
                              "utvikling/drift av IKT-løsninger/kommunikasjon/mv."]
    assert workbook["Note 5 husleie"].cell(1, 1).value == "¹ Husleie (operasjonelle leieavtaler) *"
    assert workbook["Note 5 leie"].cell(1, 1).value == '² Spesifikasjon av "leie maskiner og inventar"'
    assert workbook["Note 5 konsulent"].cell(1, 1).value == "Spesifikasjon av kjøpte konsulenttjenester"
    assert workbook["Note 5 fremmede"].cell(1, 1).value.startswith("⁴ Spesifikasjon")
    assert workbook["Note 5 øvrige"].cell(1, 1).value.startswith("⁵ Spesifikasjon")
    rent = workbook["Note 5 husleie"]
    assert rent.cell(_row_of(rent, "varighet_1_5_ar"), 1).value == "Varighet 1-5 år⁶"
    assert _below(rent) == ["* IMDi har fire husleieavtaler, tre i Oslo og en i Narvik. Avtalene i ⁶Oslo gjelder "
                            "til 2028, og ⁷Narvik til 2031."]


def test_the_specifications_footnotes_take_their_amounts_from_the_books(workbook):
    # The books' finer accounts (fixtures/2024/build.py SUB_ACCOUNTS): 6421 4 902 000, 6422 1 431 000,
    # 6423 5 871 000, 6424 4 588 000 kr; the rest of 642 is the line 27 595 425.40 less them, 10 803 425.40.
    # Printed in mill. kroner with two decimals, as the publication does (seed l.4616-4618).
    assert _below(workbook["Note 5 leie"]) == [
        "* Posten består hovedsakelig av kostnader for skybaserte tjenester (4,90 mill. kroner), elektronisk "
        "saksbehandling (1,43 mill. kroner), microsoftlisenser (5,87 mill. kroner), drift av ikt-infrastruktur "
        "eksternt (4,59 mill. kroner), samt øvrige lisenskostnader på 10,80 mill. kroner."]
    policy, *consultancy = _below(workbook["Note 5 konsulent"])
    # 6711 1 532 000 and 6712 7 063 000 of the line's 12 098 886; 6732 24 968 000 of 32 535 445 (seed l.4635-4642)
    assert [t[:3] for t in consultancy] == ["* K", "** ", "***"]  # in the order of the lines they mark
    assert "tilskuddsløsningen (1,53 mill. kroner)" in consultancy[0] and "(3,50 mill. kroner)" in consultancy[0]
    assert consultancy[2] == "*** Kostnader tilknyttet arbeid innenfor FoU på 24,97 mill. kroner, samt øvrige " \
                             "kostnader på 7,57 mill. kroner."
    sheet = workbook["Note 5 konsulent"]  # the text placed after the sum, before the footnotes (seed l.4633)
    assert sheet.cell(_row_of(sheet, "sum_resultat") + 1, 1).value == policy
    assert policy == "IMDi arbeider for å redusere bruken av konsulenttjenester innenfor tjenesteproduksjonen."
    services = " ".join(_below(workbook["Note 5 fremmede"]))
    assert "IMDinett (13,28 mill. kroner)" in services and "kvoteflyktninger (6,81 mill. kroner)" in services
    assert "Øvrige kostnader utgjør 2,15 mill. kroner." in services  # 8 964 749.40 − 6 812 000
    assert "[mangler" not in services


def test_a_marker_on_a_column_label_and_on_a_title(workbook):
    note_7a = workbook["Note 7A"]
    assert _texts(note_7a, HEADER_ROW, 4)[1:] == ["31.12.2024", "01.01.2024", "Endring *"]  # seed l.4700
    assert _below(note_7a) == ["* Sum endring i avregnet med statskassen skal stemme med periodens endring ovenfor."]
    assert workbook["Note B"].cell(HEADER_ROW, 10).value == "Maks. overførbart beløp **"
    assert workbook["Note 12"].cell(1, 1).value == "Note 12 Bankinnskudd, kontanter og lignende *"
    assert workbook["Note 3"].cell(1, 1).value == "Note 3 Immaterielle eiendeler *"
    assert workbook["Note 3"].cell(HEADER_ROW, 3).value == "Immaterielle eiendeler under utførelse **"
    assert workbook["Note 3 prosjekter"].cell(1, 1).value == "** Pågående immaterielle eiendeler under utførelse"


def test_footnotes_print_in_the_order_of_their_markers(workbook):
    # the state's, the agency's and the year's texts of one note, in the order their lines stand (seed l.4834-4841)
    assert [t.split(" ")[0] for t in _below(workbook["Note 11"])] == ["*", "**", "***"]
    assert [t.split(" ")[0] for t in _below(workbook["Note 2"])] == ["*", "**", "***"]
    assert [t.split(" ")[0] for t in _below(workbook["Nøkkeltall"])] == ["*", "**"]


def test_markers_the_publication_prints_without_a_text_are_listed(workbook):
    artskonto = workbook["Artskontorapportering"]
    assert artskonto.cell(_row_of(artskonto, "h_felleskapitler"), 1).value == \
        "Inntekter og utgifter rapportert på felleskapitler**"
    assert _below(artskonto) == []
    note_10 = workbook["Note 10"]
    assert note_10.cell(_row_of(note_10, "kundefordringer_til_palydende"), 1).value == "Kundefordringer til pålydende*"
    checks = workbook[CHECKS]
    remarks = [f"{checks.cell(r, 1).value}: {checks.cell(r, 2).value}" for r in range(1, checks.max_row + 1)
               if "fotnotemerket" in str(checks.cell(r, 2).value)]
    assert sorted(remarks) == sorted([
        "bevilgning: fotnotemerket ** på «Samlet tildeling» har ingen tekst (footnotes.csv)",
        "artskonto: fotnotemerket * på «Innkrevingsvirksomhet og andre overføringer til staten» har ingen tekst "
        "(footnotes.csv)",
        "artskonto: fotnotemerket * på «Tilskuddsforvaltning og andre overføringer fra staten» har ingen tekst "
        "(footnotes.csv)",
        "artskonto: fotnotemerket ** på «Inntekter og utgifter rapportert på felleskapitler» har ingen tekst "
        "(footnotes.csv)",
        "note_10: fotnotemerket * på «Kundefordringer til pålydende» har ingen tekst (footnotes.csv)"])
    # the cover counts every remark the check sheet lists: Note B's three estimated caps and these five
    facts = {workbook[COVER].cell(r, 1).value: workbook[COVER].cell(r, 2).value for r in range(1, 16)}
    assert facts["Merknader fra oppstillingene"] == f"8 (listet på arket {CHECKS})"
    assert any(str(checks.cell(r, 1).value) == "Merknader fra oppstillingene: 8" for r in range(1, checks.max_row + 1))


def test_pages_break_where_the_publication_turns_the_page(workbook):
    # print_headers.csv new_page: the appropriation report's income part (seed l.4088) and the balance
    # sheet's Statens kapital og gjeld (l.4439) begin a page, each with its header
    report = workbook["Bevilgningsrapportering"]
    [brk] = report.row_breaks.brk
    assert report.cell(brk.id + 1, 1).value == "Inntektskapittel"
    assert str(report.cell(brk.id, 1).value).startswith("0671/61 - Utbetalingen")  # page 1 ends with the texts
    balance = workbook["Balanse"]
    [brk] = balance.row_breaks.brk
    assert brk.id == _row_of(balance, "sum_eiendeler")
    assert _texts(balance, brk.id + 1, 4) == [None, "Note", "31.12.2024", "01.01.2024"]
    assert brk.id + 2 == _row_of(balance, "statens_kapital_og_gjeld")
    for sheet in (report, balance):
        # each page has its own header: none repeated; printed at a scale, not Fit To, which Excel lets
        # override manual breaks
        assert not sheet.print_title_rows and not sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert 10 <= int(sheet.page_setup.scale) <= 100, sheet.title
    for sheet in workbook.worksheets[1:-1]:
        if sheet not in (report, balance):
            assert not sheet.row_breaks.brk and sheet.page_setup.fitToHeight == 1, sheet.title


def test_every_written_font_names_its_face_and_size(workbook):
    # a font without name or size prints in the reader's default (LibreOffice's is wider: "###")
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "Calibri" and cell.font.sz, (sheet.title, cell.coordinate)


def test_header_and_footer_on_every_sheet(workbook, accounts):
    for sheet in workbook.worksheets:
        assert sheet.oddHeader.left.text == "Integrerings- og mangfoldsdirektoratet", sheet.title
        assert sheet.oddHeader.right.text == "Årsregnskap 2024 – FORELØPIG", sheet.title
        assert sheet.oddFooter.right.text == "Side &P av &N", sheet.title
        assert accounts.books_hash in sheet.oddFooter.left.text, sheet.title
        assert int(sheet.page_setup.paperSize) == 9, sheet.title


def test_open_year_is_forelopig_on_every_statement(workbook):
    for sheet in workbook.worksheets[1:-1]:
        assert str(sheet.cell(3, 1).value).startswith("FORELØPIG"), sheet.title


def test_cover_is_one_norwegian_page(workbook, accounts):
    cover = workbook[COVER]
    assert cover.page_setup.fitToHeight == 1 and cover.page_setup.orientation == "portrait"
    facts = {cover.cell(r, 1).value: cover.cell(r, 2).value for r in range(1, 16)}
    assert facts["Status"].startswith("Foreløpig")
    assert facts["Kontroller"].startswith(f"{len(accounts.checks)} av {len(accounts.checks)} i orden, 0 feil")
    assert CHECKS in facts["Kontroller"]
    checks = workbook[CHECKS]
    descriptions = [checks.cell(r, 2).value for r in range(5, 5 + len(accounts.checks))]
    assert "Balansen balanserer (31.12)" in descriptions


def test_closed_year_with_its_reopen_history(accounts, tmp_path):
    history = (YearEvent("2025-02-01T10:00:00+00:00", "closed", "ledger close 2024"),
               YearEvent("2025-02-03T09:00:00+00:00", "open", "korrigering av periodisering"),
               YearEvent("2025-02-04T09:00:00+00:00", "closed", "ledger close 2024"))
    path = tmp_path / "closed.xlsx"
    build_workbook(attrs.evolve(accounts, status="closed", history=history)).save(path)
    book = load_workbook(path)
    cover = book[COVER]
    values = [str(c.value) for row in cover.iter_rows() for c in row if c.value]
    assert "Avsluttet" in values
    assert "2025-02-03 09:00:00: gjenåpnet – korrigering av periodisering" in values
    assert book["Balanse"].oddHeader.right.text == "Årsregnskap 2024"
    assert not str(book["Balanse"].cell(3, 1).value or "").startswith("FORELØPIG")


def test_the_front_page_shows_the_month_locks(accounts, tmp_path):
    locks = ({"at": "2024-04-05T08:00:00+00:00", "year": 2024, "action": "lock", "month": 3, "locked_through": 3,
              "previous": 0, "reason": "rapportert mars"},
             {"at": "2024-04-09T08:00:00+00:00", "year": 2024, "action": "unlock", "month": 3, "locked_through": 2,
              "previous": 3, "reason": "korrigering"})
    path = tmp_path / "locks.xlsx"
    build_workbook(attrs.evolve(accounts, locks=locks)).save(path)
    values = [str(c.value) for row in load_workbook(path)[COVER].iter_rows() for c in row if c.value]
    assert "Månedslåser (rapportert til statsregnskapet)" in values
    assert "2024-04-05 08:00:00: låst 2024-03 (låst t.o.m. 2024-03) – rapportert mars" in values
    assert "2024-04-09 08:00:00: låst opp 2024-03 (låst t.o.m. 2024-02) – korrigering" in values


def test_year_history_from_events():
    events = [(1, "year", "t0", 2024, {"status": "open", "changed_at": "t0", "reason": "first posting"}),
              (2, "year", "t1", 2024, {"status": "closed", "changed_at": "t1", "reason": "ledger close 2024"}),
              (3, "year", "t2", 2024, {"status": "open", "changed_at": "t2", "reason": "feil"})]
    assert year_history(events) == (YearEvent("t1", "closed", "ledger close 2024"), YearEvent("t2", "open", "feil"))


def test_fill_text_placeholders(accounts):
    assert fill_text("{aar} {aar-1} {aar+1} {virksomhet}", accounts) == "2024 2023 2025 IMDi"
    assert fill_text("{belop:bevilgning:0670.01:regnskap}", accounts) == "388 810 162"
    missing: list[str] = []
    assert fill_text("{belop:bevilgning:9999.99:regnskap}", accounts, missing).startswith("[mangler")
    assert missing
    # the year's amounts on the books' accounts: 6421 4 902 000; 6420-6424 the whole line 27 595 425.40
    assert fill_text("{konto:6421} | {konto_mill:6420-6424} | {konto:6420|6422}", accounts) == \
        "4 902 000 | 27,60 | 12 234 425"
    missing.clear()
    assert fill_text("{konto_mill:6999}", accounts, missing) == "[mangler {konto_mill:6999}]" and missing


# Pages per sheet when printed (issue #15), as many as the publication uses. The seed is the
# publication's text page by page: each page's first line begins with a space (e.g. l.4055
# " Oppstilling av bevilgningsrapportering", l.4103 " Note A"), and page numbers stand alone where
# the OCR kept them (l.4395 "112" under the income statement). Chapter 6 prints:
# - the appropriation report on two pages: the expense part with its explanations of variances
#   (l.4055-4087), then the income part, the capital accounts and the holdings (l.4088-4102);
# - the balance sheet on two: the assets (l.4399-4438, page 113 after page 112) and Statens
#   kapital og gjeld (l.4439-4467);
# - every other statement and note on one page, alone or with others (Note A l.4103, Note B
#   l.4121, artskonto l.4156, mellomværende l.4194, resultat l.4355-4395, notes 1-2 l.4468,
#   3 l.4512, 4 l.4542, 5 with its rent and rental specifications l.4581, the consultancy and
#   services specifications l.4619, the other costs' specification and note 6 l.4657, 7A l.4693,
#   7B l.4739, 8-9 l.4782, 10-11 l.4816, 12-13 l.4842); the key figures (l.262-273) and
#   table 4.3 (l.3758) of chapters 1 and 4 on one page each.
# The cover is one page; the check sheet, which the publication does not have, any number.
EXPECTED_PAGES = {CHECKS: None, "Bevilgningsrapportering": 2, "Balanse": 2}  # None: any; not listed: 1


def _pages_per_sheet(pdf, sheets) -> dict[str, int]:
    """Pages of the PDF per sheet, each page known by its page header (the sheet's centre header)."""
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                            check=True).stdout).group(1))
    found: dict[str, int] = {}
    for page in range(1, count + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        hits: list[str] = []
        for lines in (1, 3):  # the page header's line, or its lines when a long title wraps
            head = "".join("".join(text.split("\n")[:lines]).split())  # spaces dropped, the right header out
            head = head.replace("".join(sheets[0].oddHeader.right.text.split()), "")
            hits = hits or [s.title for s in sheets if "".join(s.oddHeader.center.text.split()) in head]
        title = max(hits, key=lambda t: len(next(s for s in sheets if s.title == t).oddHeader.center.text))
        found[title] = found.get(title, 0) + 1
    return found


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or poppler-utils is not installed")
def test_printed_pdf_pages_per_sheet(workbook, tmp_path, accounts):
    path = tmp_path / "a.xlsx"
    build_workbook(accounts).save(path)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, timeout=300, capture_output=True)
    pages = _pages_per_sheet(tmp_path / "a.pdf", workbook.worksheets)
    assert set(pages) == set(workbook.sheetnames)  # every sheet printed, each page known by its header
    for sheet in workbook.sheetnames:
        expected = EXPECTED_PAGES.get(sheet, 1)
        if expected is not None:
            assert pages[sheet] == expected, (sheet, pages[sheet])
