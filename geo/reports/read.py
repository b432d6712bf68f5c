"""Reading reports from text files, JSON Lines files and folders of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from geo.errors import ReportError
from geo.reports.checks import (
    MAX_REPORT_BYTES,
    check_date,
    check_record,
    decode_text,
    parse_date,
    too_big,
)
from geo.reports.report import Report, report_from_text, text_key

__all__ = ["READABLE_SUFFIXES", "read_reports"]

#: The files of a folder that are read as reports.
READABLE_SUFFIXES = (".txt", ".text", ".jsonl")


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes | None]]:
    """Lines of a JSON Lines file split on ``\\n`` only (U+2028, U+0085 stay inside records),
    read a bounded piece at a time; a line over the size limit comes as ``None``."""
    with open(path, "rb") as f:
        lineno = 0
        while True:
            line = f.readline(MAX_REPORT_BYTES + 2)
            if not line:
                return
            lineno += 1
            if len(line) > MAX_REPORT_BYTES + 1 and not line.endswith(b"\n"):
                while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
                yield lineno, None
                continue
            yield lineno, line


def _read_jsonl(
    path: Path, date: dt.date | None, errors: list[ReportError] | None = None
) -> Iterator[Report]:
    found, bad = False, 0
    for lineno, line in _jsonl_lines(path):
        where = f"{path}:{lineno}"
        try:
            if line is None:
                raise ReportError(f"{where}: {too_big(MAX_REPORT_BYTES + 1)}")
            if not line.strip():
                continue
            record = check_record(line, where)
            record_date = date
            if record.get("date"):
                try:
                    record_date = parse_date(record["date"])
                except ValueError as err:
                    raise ReportError(f"{where}: bad 'date': {err}") from None
            report = report_from_text(
                record["text"],
                name=str(record.get("id") or record.get("title") or f"{path.stem}-{lineno}"),
                date=record_date,
                title=record.get("title"),
                url=record.get("url"),
                source=record.get("source"),
                path=where,
                parse_header=False,
            )
        except ReportError as err:
            if errors is None:
                raise
            errors.append(err)
            bad += 1
            continue
        if record.get("date"):
            report = replace(report, date=record_date, date_origin="header")
        found = True
        yield report
    if not found and not bad:
        raise ReportError(f"{path}: the JSON Lines file holds no reports")


def _read_file(
    path: Path, date: dt.date | None, errors: list[ReportError] | None = None
) -> Iterator[Report]:
    if path.is_symlink() and not path.exists():
        raise ReportError(f"{path}: a broken symbolic link")
    if path.is_dir():
        raise ReportError(f"{path}: a folder, not a report file")
    if not path.exists():
        raise ReportError(f"{path}: no such file or folder")
    if not path.is_file():
        raise ReportError(f"{path}: not a regular file or folder")
    if path.suffix.lower() == ".jsonl":
        yield from _read_jsonl(path, date, errors)
        return
    size = path.stat().st_size
    if size > MAX_REPORT_BYTES:
        raise ReportError(f"{path}: {too_big(size)}")
    text = decode_text(path.read_bytes(), str(path))
    yield report_from_text(text, name=path.stem, date=date, path=str(path))


def _files(path: Path) -> list[Path]:
    """What a command-line argument names: itself, or a folder's report files."""
    if not path.is_dir():
        return [path]
    try:
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in READABLE_SUFFIXES)
    except OSError as err:
        raise ReportError(f"{path}: cannot list the folder ({err.strerror or err})") from None
    if not files:
        raise ReportError(f"{path}: the folder holds no .txt or .jsonl reports")
    return files


def read_reports(
    paths: str | Path | Iterable[str | Path],
    *,
    date: dt.date | None = None,
    errors: list[ReportError] | None = None,
    duplicates: list[tuple[Report, Report]] | None = None,
) -> list[Report]:
    """Read reports from text files, JSON Lines files and folders of them.

    The same text is one report however often it arrives (the same file named twice,
    or the same text in two files or records, by :func:`~geo.reports.text_key`): later
    copies are dropped, so they never corroborate each other.

    Parameters
    ----------
    paths : path or iterable of paths
        Files (``.txt`` or any text; ``.jsonl`` for one JSON report per line) or
        folders, whose ``.txt`` and ``.jsonl`` files are read in name order (a README.md is not a report).
    date : datetime.date, optional
        The date of reports that carry none in a header or dateline.
    errors : list, optional
        When given, a bad file, folder entry or JSON Lines record is appended here as its
        :class:`~geo.errors.ReportError` and reading goes on (``--skip-bad``).
    duplicates : list, optional
        When given, each dropped copy is appended here as ``(copy, first)``.

    Returns
    -------
    list of Report

    Raises
    ------
    ReportError
        Naming the file (and line) and what is wrong with it, unless ``errors`` is given.
    """
    if date is not None:
        try:
            check_date(date)
        except ValueError as err:
            raise ReportError(f"date argument: {err}") from None
    if isinstance(paths, (str, Path)):
        paths = [paths]
    reports: list[Report] = []
    seen: dict[str, Report] = {}
    for item in paths:
        path = Path(item)
        try:
            files = _files(path)
        except ReportError as err:
            if errors is None:
                raise
            errors.append(err)
            continue
        for file in files:
            try:
                for report in _read_file(file, date, errors):
                    key = text_key(report.text)
                    if key in seen:
                        if duplicates is not None:
                            duplicates.append((report, seen[key]))
                        continue
                    seen[key] = report
                    reports.append(report)
            except ReportError as err:
                if errors is None:
                    raise
                errors.append(err)
            except OSError as err:
                problem = ReportError(f"{file}: cannot read ({err.strerror or err})")
                if errors is None:
                    raise problem from None
                errors.append(problem)
    return reports
