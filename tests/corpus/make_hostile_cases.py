"""Regenerate the corpus cases 27 and up (files as researchers really send them) from the shipped
2012 raw files.

    .venv/bin/python tests/corpus/make_hostile_cases.py

The cases are committed; this script says how each was made, so a case can be rebuilt or
varied. The password-protected workbook needs ``msoffcrypto-tool`` (not a dependency of the
project: ``pip install msoffcrypto-tool`` in a scratch environment); without it that case is
left as it is. What `validate` must say about each case is in ``expected.yaml``.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sys
from pathlib import Path

import openpyxl
import pandas as pd

HERE = Path(__file__).parent
RAW = HERE.parents[1] / "data" / "raw" / "2012"
sys.path.insert(0, str(HERE.parents[1]))


def case(name: str) -> Path:
    folder = HERE / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return folder


def text(name: str) -> str:
    return (RAW / name).read_text(encoding="utf-8")


def lines(name: str) -> list:
    return text(name).splitlines()


def write(folder: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def workbook(path: Path, sheets: dict) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def csv_rows(name: str) -> list:
    df = pd.read_csv(RAW / name, dtype=str, keep_default_na=False)
    return [list(df.columns)] + df.values.tolist()


def manifest(folder: Path) -> None:
    from snwlib.manifest import accept

    accept(folder)


def main() -> None:
    respons = lines("c8_respons.csv")
    c9 = lines("c9_antwoorden.csv")

    # 27: Excel's "Unicode Text": UTF-16 with BOM, tab-separated, named .txt
    f = case("27_excel_unicode_text_utf16")
    rows = csv_rows("c8_prioriteiten.csv")
    write(f, "c8_prioriteiten.txt", "\ufeff" + "\r\n".join("\t".join(r) for r in rows) + "\r\n", "utf-16-le")

    # 28: Excel's "sep=;" first line
    f = case("28_excel_sep_line")
    write(f, "c8_prioriteiten.csv", "sep=;\r\n" + "\r\n".join(";".join(r) for r in rows) + "\r\n")

    # 29: a row with a cell too few
    f = case("29_short_row")
    bad = list(respons)
    bad[3] = bad[3].rsplit(",", 1)[0]  # the last cell (bron) and its separator gone
    write(f, "c8_respons.csv", "\n".join(bad) + "\n")

    # 30: an unquoted line break inside a free-text answer splits one respondent in two
    f = case("30_row_split_by_a_line_break")
    bad = list(c9)
    bad[1] = bad[1].replace("ik kom hier later op terug", "ik kom hier\nlater op terug")
    write(f, "c9_antwoorden.csv", "\n".join(bad) + "\n")

    # 31: one row pasted from a Windows-1252 file into a UTF-8 file
    f = case("31_one_row_in_another_encoding")
    good = [line.encode("utf-8") for line in c9]
    good[3] = good[3].replace(b"mobiliteit", "mobiliteit en caf\u00e9s".encode("utf-8"))
    good[5] = good[5].decode("utf-8").replace(",Ja,,Ja", ",Ja,caf\u00e9,Ja", 1).encode("cp1252")
    write(f, "c9_antwoorden.csv", b"\n".join(good) + b"\n")

    # 32: text garbled by an earlier wrong decoding (UTF-8 read as Windows-1252, saved again)
    f = case("32_garbled_text")
    bad = list(c9)
    bad[1] = bad[1].replace("ik kom hier later op terug", "ik kom hier later op terug; cafÃ© Ã©Ã©n keer")
    write(f, "c9_antwoorden.csv", "\n".join(bad) + "\n")

    # 33: a title row above the header, as Excel writes it (the title in A1, the rest empty)
    f = case("33_title_row_above_the_header")
    write(f, "c8_respons.csv", "Respons Caf\u00e9 IV (concept);;;\n" + "\n".join(respons).replace(",", ";") + "\n")
    # semicolons inside quoted cells would be wrong; this table has commas only in quotes, replaced
    # above by ';' inside quotes, which is still one cell.

    # 34: a separator after every cell of every row: harmless, accepted
    f = case("34_trailing_separators_are_fine")
    write(f, "c9_respons.csv", "\n".join(line + ",," for line in lines("c9_respons.csv")) + "\n")

    # 35: a column name twice in the header
    f = case("35_duplicated_column_name")
    afw = lines("c8_afwezigen.csv")
    write(f, "c8_afwezigen.csv", "nr,reden,reden\n" + "\n".join(afw[1:]) + "\n")

    # 36: values in a column whose header cell is empty
    f = case("36_values_in_a_column_without_a_name")
    rr = lines("c9_respons.csv")
    write(f, "c9_respons.csv", "\n".join([rr[0] + ","] + [rr[1] + ",zie notitie"] + [r + "," for r in rr[2:]]) + "\n")

    # 37: two exports pasted together: the header again in the middle
    f = case("37_header_repeated_in_the_rows")
    pri = lines("c8_prioriteiten.csv")
    write(f, "c8_prioriteiten.csv", "\n".join(pri[:3] + [pri[0]] + pri[3:]) + "\n")

    # 38: a double quote that is never closed swallows the rest of the file
    f = case("38_quote_never_closed")
    bad = list(c9)
    bad[10] = bad[10].replace(",Ja,,Ja,", ',Ja,"zie bijlage,Ja,', 1)
    write(f, "c9_antwoorden.csv", "\n".join(bad) + "\n")

    # 39: a cell longer than a spreadsheet cell holds (a pasted document)
    f = case("39_cell_longer_than_a_spreadsheet_holds")
    bad = list(c9)
    bad[1] = bad[1].replace("ik kom hier later op terug", '"' + "blabla, " * 6000 + '"')
    write(f, "c9_antwoorden.csv", "\n".join(bad) + "\n")

    # 40: a gzip-compressed CSV named .csv
    f = case("40_gzip_named_csv")
    write(f, "c8_respons.csv", gzip.compress(text("c8_respons.csv").encode("utf-8"), mtime=0))

    # 41: CSV text named .xlsx
    f = case("41_csv_text_named_xlsx")
    write(f, "c8_respons.xlsx", text("c8_respons.csv"))

    # 42: a workbook cut off while copying
    f = case("42_truncated_workbook")
    whole = workbook(f / "c8_respons.xlsx", {"c8_respons": csv_rows("c8_respons.csv")})
    data = whole.read_bytes()
    whole.write_bytes(data[: len(data) // 2])

    # 43: a password-protected workbook (Excel encrypts it into an OLE2 container)
    f = HERE / "43_password_protected_workbook"
    try:
        import msoffcrypto  # noqa: F401
        from msoffcrypto.format.ooxml import OOXMLFile

        f = case(f.name)
        plain = workbook(f / "plain.xlsx", {"c8_respons": csv_rows("c8_respons.csv")})
        with open(plain, "rb") as src, open(f / "c8_respons.xlsx", "wb") as out:
            OOXMLFile(src).encrypt("geheim", out)
        plain.unlink()
    except ImportError:
        print(f"{f.name}: left as it is (needs msoffcrypto-tool)")

    # 44: an Excel 97-2003 workbook
    f = case("44_old_xls_workbook")
    write(f, "c8_respons.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))

    # 45: formulas written by a script have no stored result
    f = case("45_formula_without_a_stored_result")
    rows = csv_rows("c8_respons.csv")
    rows[0] = list(rows[0])
    for r in rows[1:]:
        r[2] = int(r[2])
    rows[4][2] = "=B2-2"
    workbook(f / "c8_respons.xlsx", {"c8_respons": rows})

    # 46: a merged header cell leaves the next column without a name
    f = case("46_merged_header_cell")
    path = workbook(f / "c9_respons.xlsx", {"c9_respons": csv_rows("c9_respons.csv")})
    book = openpyxl.load_workbook(path)
    ws = book.active
    ws["D1"] = None
    ws.merge_cells("C1:D1")
    book.save(path)

    # 47: a workbook whose table is on a sheet named after it, after an explanation sheet
    f = case("47_sheet_named_after_its_table")
    workbook(
        f / "c8_respons.xlsx",
        {
            "Toelichting": [["Respons Café IV, ingevoerd door de onderzoeker"]],
            "C8_respons ": csv_rows("c8_respons.csv"),
        },
    )

    # 48: the file name in other case and suffix than the table's
    f = case("48_file_name_in_upper_case")
    write(f, "C8_Respons.CSV", text("c8_respons.csv"))

    # 49: a header with no-break spaces and a zero-width space around names: accepted
    f = case("49_invisible_spaces_in_the_header_are_fine")
    rr = lines("c9_respons.csv")
    write(f, "c9_respons.csv", "\n".join(["categorie\u00a0,\u200bomschrijving,aantal ,bron"] + rr[1:]) + "\n")

    # 50: empty rows above the header: rows keep the numbers Excel shows
    f = case("50_empty_rows_above_the_header_keep_row_numbers")
    bad = list(respons)
    bad[3] = bad[3].replace(",6,", ",zes,")
    write(f, "c8_respons.csv", ",,,\n\n" + "\n".join(bad) + "\n")

    # 51: random bytes named .csv
    f = case("51_binary_file_named_csv")
    write(f, "c8_respons.csv", bytes(range(256)) * 8)

    # 52: an Excel workbook named .csv
    f = case("52_workbook_named_csv")
    book = workbook(f / "tmp.xlsx", {"c8_respons": csv_rows("c8_respons.csv")})
    book.rename(f / "c8_respons.csv")

    # 53: an OpenDocument spreadsheet named .xlsx
    f = case("53_opendocument_named_xlsx")
    import zipfile

    with zipfile.ZipFile(f / "c8_respons.xlsx", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")

    # 54: an SPSS file named .csv
    f = case("54_spss_file_named_csv")
    shutil.copy(HERE / "26_spss_value_label_not_in_codebook" / "c9_antwoorden.sav", f / "c9_antwoorden.csv")

    # 55: old Mac line endings (CR only)
    f = case("55_mac_line_endings_are_fine")
    write(f, "c8_prioriteiten.csv", "\r".join(lines("c8_prioriteiten.csv")) + "\r")

    # 56: a file named after no table
    f = case("56_file_named_after_no_table")
    write(f, "respons_c8.csv", text("c8_respons.csv"))

    # --- whole wave folders: `validate FOLDER`, as `make check-data` runs it -------------------
    def wave(name: str, files: list) -> Path:
        f = case(name)
        for n in files:
            shutil.copy(RAW / n, f / n)
        return f

    # 57: the same table as .csv and as .xlsx: the pipeline does not choose
    f = wave("57_folder_two_files_for_one_table", ["c8_respons.csv", "c8_prioriteiten.csv"])
    workbook(f / "c8_respons.xlsx", {"c8_respons": csv_rows("c8_respons.csv")})
    manifest(f)

    # 58: a workbook with a sheet per table: every sheet is checked, as the pipeline reads it
    f = case("58_folder_workbook_sheets_are_checked")
    akt = csv_rows("c1_activiteiten.csv")
    ken = csv_rows("c1_kengetallen.csv")
    ken[5][ken[0].index("waarde")] = "veel"
    workbook(f / "c1_inventaris.xlsx", {"c1_activiteiten": akt, "c1_kengetallen": ken})
    manifest(f)

    # 59: a link that leads out of the wave's folder
    f = wave("59_folder_link_out_of_the_folder", ["c8_prioriteiten.csv"])
    os.symlink("../../../data/raw/2012/c8_respons.csv", f / "c8_respons.csv")
    manifest(f)

    # 60: a misnamed file, and one unreadable file that does not stop the checks of the others
    f = wave("60_folder_misnamed_and_unreadable_files", ["c8_prioriteiten.csv", "c9_respons.csv"])
    shutil.copy(RAW / "c8_respons.csv", f / "c8_respos.csv")
    write(f, "c8_afwezigen.csv", gzip.compress(text("c8_afwezigen.csv").encode("utf-8"), mtime=0))
    write(f, "notities.txt", "gesprek met Piet: bellen over de cijfers\n")
    manifest(f)

    print(json.dumps(sorted(p.name for p in HERE.iterdir() if p.is_dir() and p.name[:2] >= "27")))


if __name__ == "__main__":
    main()
