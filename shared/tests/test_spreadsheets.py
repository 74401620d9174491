"""Spreadsheet files every service exports and imports: formulas neutralised, any character exported,
hostile and damaged files refused with an error naming `content`."""

import codecs
import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from crm_shared.errors import BadInput, DomainError, TooLarge
from crm_shared.i18n import set_locale
from crm_shared.spreadsheets import Limits, cell_text, check, csv_chunks, imported_text, rows, xlsx_bytes
from crm_shared.testing import files

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB=1", "\r=1", "'=quoted"]
SMALL = Limits(upload_bytes=1 << 20, unpacked_bytes=1 << 20, rows=3, columns=4)


async def _aiter(items):
    for item in items:
        yield item


def _error(path, file_format, limits=SMALL) -> DomainError:
    with pytest.raises(BadInput) as caught:
        check(path, file_format, limits)
    assert caught.value.field == "content"
    return caught.value


def test_formula_like_cells_get_an_apostrophe_and_plain_numbers_stay():
    assert [cell_text(v) for v in HOSTILE] == [
        '\'=HYPERLINK("http://x")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tTAB=1",
        "'\r=1",
        "''=quoted",
    ]
    assert [cell_text(v) for v in ("-5", "+86", "-1.25", "a=b", None, 7)] == ["-5", "+86", "-1.25", "a=b", "", "7"]


def test_importing_an_exported_cell_gives_back_the_value():
    for value in ["=1+1", "'=1+1", "''-x", "+86 138", "@me", "plain", "-5", "it's"]:
        assert imported_text(cell_text(value)) == value
    assert imported_text(" 名\x00字\x1f ") == "名字"


async def test_csv_export_neutralises_formulas():
    content = b"".join([c async for c in csv_chunks(_aiter([["name"], *[[v] for v in HOSTILE]]))])
    assert content.startswith(codecs.BOM_UTF8)
    read = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert [r[0] for r in read[1:]] == [cell_text(v) for v in HOSTILE]
    assert all(not r[0].startswith(("=", "+", "-", "@", "\t", "\r")) for r in read[1:])


async def test_xlsx_export_writes_text_cells_and_survives_control_characters():
    values = [*HOSTILE, "坏\x01名\x1f字", "#DIV/0!", "bad\ufffeend"]
    content = await xlsx_bytes(_aiter([["name"], *[[v] for v in values]]), "accounts")
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s"] * len(values)
    assert [c.value for c in cells] == [
        *(cell_text(v).replace("\r", "\n") for v in HOSTILE),  # XML reads a line end as \n
        "坏\ufffd名\ufffd字",
        "#DIV/0!",
        "bad\ufffdend",
    ]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_rows_are_read_with_headers_blank_rows_skipped(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(files.xlsx([["name", "city"], ["'=1+1", "杭州"], [None, None], ["乙", None]]))
    assert list(rows(path, "xlsx", SMALL)) == [{"name": "=1+1", "city": "杭州"}, {"name": "乙"}]
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("\ufeffname,city\n甲,杭州\n,\n", encoding="utf-8")
    assert check(csv_path, "csv", SMALL) == ["name", "city"]


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unpacked(tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(files.zip_bomb(8 << 20))
    assert path.stat().st_size < 64 * 1024
    set_locale("zh-CN")
    try:
        error = _error(path, "xlsx")
        assert error.key == "file_unpacked_too_large"
        assert error.message() == "字段“content”：工作簿解压后超过允许的 1 MB"
    finally:
        set_locale("en")
    assert error.message("en") == "Field 'content': the workbook unpacks to more than the 1 MB allowed"


def test_a_bomb_that_understates_its_size_stops_at_the_stated_size(tmp_path):
    path = tmp_path / "liar.xlsx"
    path.write_bytes(files.understated(files.zip_bomb(8 << 20)))
    assert _error(path, "xlsx").message() == "Field 'content': the file is damaged or is not a XLSX file"


def test_a_workbook_declaring_entities_is_refused_without_expanding_them(tmp_path):
    path = tmp_path / "laughs.xlsx"
    path.write_bytes(files.entity_bomb())
    assert _error(path, "xlsx", Limits()).message() == "Field 'content': the file is damaged or is not a XLSX file"
    path.write_bytes(files.entity_bomb(levels=1))  # ten words: harmless, and still not read
    assert _error(path, "xlsx", Limits()).message() == "Field 'content': the file is damaged or is not a XLSX file"


def test_rows_and_columns_are_capped(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("name\n" + "".join(f"r{n}\n" for n in range(4)), encoding="utf-8")
    assert _error(path, "csv").message() == "Field 'content': the file has more than the 3 rows allowed"
    path.write_text("name\n" + "".join(f"r{n}\n" for n in range(3)), encoding="utf-8")
    assert check(path, "csv", SMALL) == ["name"]
    wide = tmp_path / "wide.xlsx"
    wide.write_bytes(files.xlsx([["name"], ["a", None, None, None, None], ["b", 1, 2, 3, 4]]))
    assert _error(wide, "xlsx").message() == "Field 'content': row 3 has more than the 4 columns allowed"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("not-a-zip.xlsx", b"name\nacme\n", "Field 'content': the file is damaged or is not a XLSX file"),
        (
            "broken.xlsx",
            files.xlsx([["name"], ["acme"]])[:1500],
            "Field 'content': the file is damaged or is not a XLSX file",
        ),
        (
            "no-sheet.xlsx",
            files.without_sheets(files.xlsx([["name"]])),
            "Field 'content': the workbook has no worksheet",
        ),
        (
            "gbk.csv",
            "客户名称,行业\n华为,通信\n".encode("gbk"),
            "Field 'content': the CSV file is not UTF-8 text; save it as CSV UTF-8",
        ),
    ],
)
def test_malformed_files_answer_an_error_naming_content(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert _error(path, name.rsplit(".", 1)[1]).message() == message


def test_too_large_is_bad_input_answered_413():
    error = TooLarge(field="content", limit="20")
    assert (error.status, error.code, error.field) == (413, "BAD_USER_INPUT", "content")
    assert error.message("zh-CN") == "字段“content”：文件超过允许的 20 MB"
