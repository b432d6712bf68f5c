"""Writing tables and files: whole or not at all, in the formats GIS tools expect.

Every output goes through :func:`atomic_path`, the one atomic commit of the
project: a temporary file in the target's folder (name prefix
:data:`TEMP_PREFIX`), flushed to disk (``fsync``), renamed over the target,
then the folder itself flushed, so a crash or ``kill -9`` leaves either the
old file or the new one, never half of one. Temporary files of earlier runs
that were killed are removed when they are older than :data:`STALE_AFTER_S`.
Files get the mode the user's umask gives (``0644`` usually), like any file
the user creates. A missing or read-only folder, or a full disk, raises
:class:`~geo.errors.OutputError` with one line naming the target.

Dates (see ``docs/ARCHITECTURE.md``, "Dates"): tables hold dates as
``datetime64`` at midnight (or ``datetime.date`` objects); on the way out a
column whose values are all dates is written as a date: ``YYYY-MM-DD`` in CSV
and GeoJSON, a Date field in GeoPackage, ``date32`` in Parquet.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.csv_writer import write_csv
from geo.errors import OutputError

__all__ = [
    "FORMATS",
    "STALE_AFTER_S",
    "TEMP_PREFIX",
    "atomic_path",
    "date_columns",
    "remove_stale_temp_files",
    "write_layers",
    "write_table",
    "write_text",
]

FORMATS = {".geojson": "GeoJSON", ".csv": "CSV", ".gpkg": "GPKG", ".parquet": "Parquet"}
#: Every temporary file geomap writes starts with this, so leftovers are recognisable.
TEMP_PREFIX = ".geomap-tmp-"
#: Temporary files older than this (seconds) belong to a run that died: removed.
STALE_AFTER_S = 3600.0
# SQLite (GeoPackage) may leave these beside a database it was writing.
_SIDECARS = ("-journal", "-wal", "-shm")


def _describe(target: Path, err: OSError) -> str:
    """One line for an OSError met while writing ``target``."""
    code = err.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"{target}: the disk is full (no space left on the device); nothing was written"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{target}: permission denied: the folder {str(target.parent)!r} is read-only or not yours"
    if code == errno.ENOENT:
        return f"{target}: the folder {str(target.parent)!r} does not exist"
    if code == errno.EISDIR:
        return f"{target}: is a folder, not a file"
    return f"{target}: cannot write ({err.strerror or err})"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_path(path: Path, *, folder: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if folder else 0))
    try:
        os.fsync(fd)
    except OSError as err:
        # Some file systems (and /dev/shm on some kernels) cannot sync a folder.
        if not folder or err.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def remove_stale_temp_files(folder: str | Path, *, older_than: float = STALE_AFTER_S) -> list[Path]:
    """Delete geomap's temporary files left in ``folder`` by runs that were killed.

    Only files whose name starts with :data:`TEMP_PREFIX` and that were last
    modified more than ``older_than`` seconds ago are removed, so a write in
    progress in another process is left alone.

    Returns
    -------
    list of Path
        The files removed.

    Examples
    --------
    >>> import os, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> old = d / (TEMP_PREFIX + "map.html.x1")
    >>> _ = old.write_text("half")
    >>> os.utime(old, (0, 0))
    >>> [p.name for p in remove_stale_temp_files(d)] == [old.name]
    True
    """
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > older_than:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, keep_existing: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; commit it onto ``path`` on success.

    The commit is complete: the temporary file is synced to disk, renamed over
    the target, and the folder synced, so the new file survives a power cut. If
    the body raises, the target is left as it was and the temporary file is
    removed.

    Parameters
    ----------
    path : str or Path
        The file to write.
    keep_existing : bool
        Start from a copy of the existing file (to add a layer to a GeoPackage);
        otherwise the temporary path does not exist when the body starts.

    Raises
    ------
    OutputError
        The folder is missing or read-only, the disk is full, or another
        :class:`OSError` while writing; one line naming ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    target = Path(path)
    folder = target.parent
    if not folder.exists():
        raise OutputError(f"{target}: the folder {str(folder)!r} does not exist")
    if not folder.is_dir():
        raise OutputError(f"{target}: {str(folder)!r} is not a folder")
    if target.is_dir():
        raise OutputError(f"{target}: is a folder, not a file")
    remove_stale_temp_files(folder)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f"{TEMP_PREFIX}{target.name}.", suffix=target.suffix, dir=folder
        )
    except OSError as err:
        raise OutputError(_describe(target, err)) from err
    os.close(fd)
    tmp = Path(name)
    try:
        if keep_existing and target.is_file():
            shutil.copyfile(target, tmp)
        else:
            tmp.unlink()  # drivers that refuse to overwrite want no file there
        yield tmp
        if not tmp.exists():
            raise OutputError(f"{target}: nothing was written")
        os.chmod(tmp, 0o666 & ~_umask())
        _fsync_path(tmp)
        os.replace(tmp, target)
        _fsync_path(folder, folder=True)
    except OSError as err:
        if isinstance(err, OutputError):
            raise
        raise OutputError(_describe(target, err)) from err
    finally:
        for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in _SIDECARS)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def write_text(text: str, path: str | os.PathLike[str]) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; the helper maps and reports use.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> write_text("<p>hi</p>", pathlib.Path(tempfile.mkdtemp()) / "a.html").read_text()
    '<p>hi</p>'
    """
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def date_columns(table: pd.DataFrame) -> list[str]:
    """The columns that hold dates: ``datetime64`` at midnight, or ``datetime.date`` values.

    Examples
    --------
    >>> df = pd.DataFrame({"d": pd.to_datetime(["2021-07-07", None]),
    ...                    "t": pd.to_datetime(["2021-07-07 10:30", None]), "n": [1, 2]})
    >>> date_columns(df)
    ['d']
    """
    found = []
    geometry = getattr(table, "_geometry_column_name", None)
    for column in table.columns:
        if column == geometry:
            continue
        values = table[column]
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            if getattr(values.dt, "tz", None) is not None:
                continue
            present = values.dropna()
            if (present == present.dt.normalize()).all():
                found.append(column)
        elif values.dtype == object:
            present = values.dropna()
            if (
                not present.empty
                and present.map(
                    lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime)
                ).all()
            ):
                found.append(column)
    return found


def _as_date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def _dates(values: pd.Series, *, as_text: bool) -> pd.Series:
    """A date column as ``datetime.date`` objects (or ISO text), missing as ``None``.

    ``datetime64`` columns are converted by numpy, each distinct day once (a table of
    places has a row per mention, hundreds of thousands for a long report, and a date
    per report); columns of ``datetime.date`` objects one value at a time.
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        days = values.to_numpy().astype("datetime64[D]")
        distinct, where = np.unique(days, return_inverse=True)
        converted = (distinct.astype(str) if as_text else distinct).astype(object)
        converted[np.isnat(distinct)] = None
        return pd.Series(converted[where.ravel()], index=values.index, dtype=object)
    as_dates = values.map(_as_date).astype(object)
    if as_text:
        return as_dates.map(lambda v: v.isoformat() if v is not None else None)
    return as_dates


def _flat(df: pd.DataFrame, *, dates_as_text: bool) -> pd.DataFrame:
    """Lists and sets become ``;``-joined text; dates become dates (or ISO text).

    Other timestamps become ISO 8601 text: what every format takes.
    """
    out = df.copy()
    geometry = getattr(out, "_geometry_column_name", None)
    dates = set(date_columns(out))
    for column in out.columns:
        if column == geometry:
            continue
        values = out[column]
        if column in dates:
            out[column] = _dates(values, as_text=dates_as_text)
        elif pd.api.types.is_datetime64_any_dtype(values.dtype):
            out[column] = values.map(lambda v: v.isoformat() if not pd.isna(v) else None)
        elif values.dtype == object:
            sample = values.dropna()
            if not sample.empty and isinstance(sample.iloc[0], (list, tuple, set, frozenset)):
                out[column] = values.map(
                    lambda v: (
                        ";".join(map(str, v)) if isinstance(v, (list, tuple, set, frozenset)) else v
                    )
                )
            elif not sample.empty and hasattr(sample.iloc[0], "isoformat"):
                out[column] = values.map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
    return out


def _to_csv(table: pd.DataFrame, out: IO[str] | Path) -> None:
    """``table.to_csv(out, index=False)``, through :func:`write_csv` when it can."""
    if isinstance(out, Path):
        with open(out, "wb") as fh:
            if write_csv(table, fh):
                return
        table.to_csv(out, index=False)
    elif not write_csv(table, out):
        table.to_csv(out, index=False)


def _stream(
    table: pd.DataFrame, fmt: str, out: IO[str], csv_columns: dict[str, str] | None
) -> None:
    is_geo = isinstance(table, gpd.GeoDataFrame) and table.geometry.name in table
    flat = _flat(table, dates_as_text=True)
    if fmt == "geojson":
        if not is_geo:
            raise OutputError("-: this table has no geometry; write CSV to standard output")
        out.write(gpd.GeoDataFrame(flat).to_json(drop_id=True, ensure_ascii=False))
        out.write("\n")
    else:
        plain = pd.DataFrame(flat.drop(columns=[table.geometry.name])) if is_geo else flat
        if csv_columns:
            plain = plain.rename(columns=csv_columns)
        _to_csv(plain, out)
    out.flush()


def write_table(
    table: pd.DataFrame,
    path: str | Path,
    *,
    layer: str | None = None,
    csv_columns: dict[str, str] | None = None,
    fmt: str | None = None,
) -> Path:
    """Write a (Geo)DataFrame; the format follows the extension.

    ``.geojson``, ``.gpkg`` and ``.parquet`` keep the geometry; ``.csv`` drops it
    (``lat``/``lon`` or ``latitude``/``longitude`` columns carry the position).
    The layer of a GeoJSON or GeoPackage file is named after the file's stem
    (``events.geojson`` → ``events``), whatever temporary name it was written under.

    Parameters
    ----------
    table : pandas.DataFrame or geopandas.GeoDataFrame
    path : path
        Target file, written whole or not at all. ``-`` writes to standard output
        (CSV, or GeoJSON with ``fmt="geojson"``).
    layer : str, optional
        For ``.gpkg`` only: add (or replace) this layer in the file and keep its
        other layers; without it the file holds one layer named after its stem.
    csv_columns : dict, optional
        Column renames for CSV only.
    fmt : {"csv", "geojson"}, optional
        The format for ``path="-"`` (default CSV); ignored for files.

    Returns
    -------
    Path
        The path written (``Path("-")`` for standard output).

    Raises
    ------
    OutputError
        An unknown extension, a table without geometry for a GIS format, a missing
        or read-only folder, a full disk: one line naming the target.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> gdf = gpd.GeoDataFrame({"event_date": pd.to_datetime(["2021-07-07"])},
    ...     geometry=gpd.points_from_xy([62.9], [34.9]), crs="EPSG:4326")
    >>> out = write_table(gdf, pathlib.Path(tempfile.mkdtemp()) / "events.csv")
    >>> out.read_text().splitlines()[1]
    '2021-07-07'
    """
    if str(path) == "-":
        kind = (fmt or "csv").lower().lstrip(".")
        if kind not in ("csv", "geojson"):
            raise OutputError(f"-: standard output takes CSV or GeoJSON, not {fmt!r}")
        try:
            _stream(table, kind, sys.stdout, csv_columns)
        except BrokenPipeError:
            # the reader stopped early (``| head``): as other Unix tools, stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        return Path("-")
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        raise OutputError(
            f"{target}: unknown output format {suffix or '(none)'!r}; use one of {known}"
        )
    if layer is not None and suffix != ".gpkg":
        raise OutputError(f"{target}: only a GeoPackage (.gpkg) holds several layers")
    is_geo = isinstance(table, gpd.GeoDataFrame) and table.geometry.name in table
    if suffix in (".geojson", ".gpkg") and not is_geo:
        raise OutputError(f"{target}: this table has no geometry; write .csv or .parquet")
    flat = _flat(table, dates_as_text=suffix == ".csv")

    def write(tmp: Path) -> None:
        if suffix in (".geojson", ".gpkg"):
            # pyarrow carries datetime.date values as date32: a Date field in GDAL.
            flat.to_file(
                tmp,
                driver=FORMATS[suffix],
                layer=layer or target.stem,
                engine="pyogrio",
                use_arrow=True,
            )
        elif suffix == ".csv":
            plain = pd.DataFrame(flat.drop(columns=[table.geometry.name])) if is_geo else flat
            if csv_columns:
                plain = plain.rename(columns=csv_columns)
            _to_csv(plain, tmp)
        else:
            flat.to_parquet(tmp, index=False)

    # only GDAL's formats need its errors read (importing pyogrio costs 0.03-0.05 s)
    gdal = _gdal_errors(target) if suffix in (".geojson", ".gpkg") else contextlib.nullcontext()
    with gdal, atomic_path(target, keep_existing=layer is not None) as tmp:
        write(tmp)
    return target


@contextlib.contextmanager
def _gdal_errors(target: Path) -> Iterator[None]:
    """GDAL reports a full disk or a vanished folder as a driver error: one line instead."""
    from pyogrio.errors import DataLayerError, DataSourceError, FeatureError, FieldError

    try:
        yield
    except (DataLayerError, DataSourceError, FeatureError, FieldError) as err:
        text = str(err).strip()
        full = "no space left" in text.lower() or "disk full" in text.lower()
        reason = text.splitlines()[0] if text else type(err).__name__
        detail = "the disk is full (no space left on the device)" if full else reason
        raise OutputError(f"{target}: cannot write ({detail}); nothing was written") from err


def write_layers(layers: dict[str, gpd.GeoDataFrame], path: str | Path) -> Path:
    """Write several tables as the layers of one GeoPackage, whole or not at all.

    Parameters
    ----------
    layers : dict of str to GeoDataFrame
        Layer name → table, in the order QGIS lists them.
    path : path
        A ``.gpkg`` file; replaced as a whole (an earlier file's layers are not kept).

    Examples
    --------
    >>> import tempfile, pathlib, pyogrio
    >>> gdf = gpd.GeoDataFrame({"n": [1]}, geometry=gpd.points_from_xy([62.9], [34.9]),
    ...     crs="EPSG:4326")
    >>> out = write_layers({"a": gdf, "b": gdf}, pathlib.Path(tempfile.mkdtemp()) / "all.gpkg")
    >>> sorted(pyogrio.list_layers(out)[:, 0])
    ['a', 'b']
    """
    target = Path(path)
    if target.suffix.lower() != ".gpkg":
        raise OutputError(f"{target}: several layers need a GeoPackage (.gpkg)")
    for name, table in layers.items():
        if not (isinstance(table, gpd.GeoDataFrame) and table.geometry.name in table):
            raise OutputError(f"{target}: layer {name!r} has no geometry")
    with _gdal_errors(target), atomic_path(target) as tmp:
        for name, table in layers.items():
            _flat(table, dates_as_text=False).to_file(
                tmp, driver="GPKG", layer=name, engine="pyogrio", use_arrow=True
            )
    return target
