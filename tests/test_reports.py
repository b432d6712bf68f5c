import datetime as dt
import json

import pytest

from geo.errors import ReportError
from geo.reports import parse_date, read_reports, report_from_text
from tests.conftest import SAMPLES


def test_seed_date_comes_from_its_dateline(seed_path):
    (report,) = read_reports(seed_path)
    assert report.date == dt.date(2021, 7, 7)
    assert report.date_origin == "dateline"
    assert report.text.startswith("July 7, 2021")


def test_header_lines_are_metadata_and_offsets_stay_in_the_body(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(
        "title: Night raid\ndate: 2021-08-02\nurl: https://example.org/a\n\nFighting in Kunduz.\n"
    )
    (report,) = read_reports(path)
    assert (report.title, report.date, report.url) == (
        "Night raid",
        dt.date(2021, 8, 2),
        "https://example.org/a",
    )
    assert report.text.startswith("Fighting")
    raw = path.read_text()
    assert raw[report.body_offset : report.body_offset + 8] == "Fighting"


def test_report_id_is_stable_and_depends_on_text(tmp_path):
    a = report_from_text("Fighting in Kunduz.", name="a")
    assert a.id == report_from_text("Fighting in Kunduz.", name="a").id
    assert a.id != report_from_text("Fighting in Herat.", name="a").id


def test_date_argument_is_only_a_fallback(tmp_path):
    fallback = dt.date(2020, 1, 1)
    assert report_from_text("No date here, Kabul.", date=fallback).date == fallback
    assert report_from_text("date: 2021-07-09\n\nKabul.", date=fallback).date == dt.date(2021, 7, 9)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2021-07-09", dt.date(2021, 7, 9)),
        ("9 July 2021", dt.date(2021, 7, 9)),
        (dt.datetime(2021, 7, 9, 14, 30), dt.date(2021, 7, 9)),
    ],
)
def test_date_argument_written_as_a_string_or_a_time_is_a_date(given, expected):
    assert report_from_text("Fighting in the hills.", date=given).date == expected


@pytest.mark.parametrize(
    "given", ["yesterday", "2021-02-30", dt.date(1600, 6, 1), 20210709, ["2021-07-09"]]
)
def test_a_date_argument_that_is_no_date_in_range_is_an_error_naming_the_report(given):
    with pytest.raises(ReportError, match=r"^memo-7: bad date argument"):
        report_from_text("Fighting in the hills.", name="memo-7", date=given)


def test_folder_reads_txt_and_jsonl_but_not_readme():
    reports = read_reports(SAMPLES / "demo")
    assert len(reports) == 4
    assert all(r.path.endswith(".txt") for r in reports)


def test_jsonl_reports(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(
        json.dumps({"text": "Clashes in Ghazni.", "date": "2021-08-12", "title": "T"})
        + "\n\n"
        + json.dumps({"text": "Talks in Doha."})
        + "\n"
    )
    a, b = read_reports(path, date=dt.date(2021, 8, 1))
    assert a.date == dt.date(2021, 8, 12) and a.title == "T"
    assert b.date == dt.date(2021, 8, 1) and b.path.endswith(":3")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "empty"),
        ("binary.bin", "binary"),
        ("latin1.txt", "not UTF-8"),
        ("soup.html", "HTML"),
        ("baddate.txt", "bad date"),
    ],
)
def test_bad_reports_name_the_file_and_the_problem(name, message):
    with pytest.raises(ReportError) as info:
        read_reports(SAMPLES / "bad" / name)
    assert name in str(info.value) and message in str(info.value)


def test_missing_file_and_broken_jsonl(tmp_path):
    with pytest.raises(ReportError, match="no such file"):
        read_reports(tmp_path / "nope.txt")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{not json\n')
    with pytest.raises(ReportError, match=r"bad.jsonl:2: not valid JSON"):
        read_reports(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-07-07", dt.date(2021, 7, 7)),
        ("July 7, 2021", dt.date(2021, 7, 7)),
        ("7 July 2021", dt.date(2021, 7, 7)),
        ("Aug. 15, 2021", dt.date(2021, 8, 15)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_parse_date_rejects_nonsense():
    with pytest.raises(ValueError, match="not a"):
        parse_date("soon")


def test_dateline_after_a_headline():
    report = report_from_text("Taliban take Ghazni\nAugust 12, 2021: Insurgents captured Ghazni.")
    assert report.date == dt.date(2021, 8, 12) and report.date_origin == "dateline"
    assert report_from_text("One\nTwo\nThree\nAugust 12, 2021: late.").date is None


def test_utf16_and_windows_line_endings(tmp_path):
    utf16 = tmp_path / "utf16.txt"
    utf16.write_text("Fighting in Kunduz.", encoding="utf-16")
    with pytest.raises(
        ReportError, match=r"utf16\.txt: the report is UTF-16 text; save it as UTF-8"
    ):
        read_reports(utf16)
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"title: CRLF\r\ndate: 2021-08-02\r\n\r\nFighting in Kunduz.\r\n")
    (report,) = read_reports(crlf)
    assert report.title == "CRLF" and report.date == dt.date(2021, 8, 2)
    assert report.text.startswith("Fighting")
