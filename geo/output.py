"""Writing tables: whole or not at all.

Every output is written to a temporary file beside its target and moved into
place only when complete, so a failed run leaves an earlier result untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import OutputError

__all__ = ["FORMATS", "atomic_path", "write_table"]

FORMATS = {".geojson": "GeoJSON", ".csv": "CSV", ".gpkg": "GPKG", ".parquet": "Parquet"}


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` on success.

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
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {str(folder)!r} does not exist")
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.unlink()  # drivers that refuse to overwrite want no file there
        yield tmp
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """Lists and sets become ``;``-joined text, dates ISO text: what every format takes."""
    out = df.copy()
    for column in out.columns:
        if column == getattr(out, "_geometry_column_name", None):
            continue
        values = out[column]
        if values.dtype == object:
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


def write_table(
    table: pd.DataFrame,
    path: str | Path,
    *,
    csv_columns: dict[str, str] | None = None,
) -> Path:
    """Write a (Geo)DataFrame; the format follows the extension.

    ``.geojson``, ``.gpkg`` and ``.parquet`` keep the geometry; ``.csv`` drops it
    (``lat``/``lon`` or ``latitude``/``longitude`` columns carry the position).

    Parameters
    ----------
    table : pandas.DataFrame or geopandas.GeoDataFrame
    path : path
        Target file. Written whole or not at all.
    csv_columns : dict, optional
        Column renames for CSV only (e.g. ACLED's names).

    Raises
    ------
    OutputError
        For an unknown extension or a folder that does not exist.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        raise OutputError(
            f"{target}: unknown output format {suffix or '(none)'!r}; use one of {known}"
        )
    writers: dict[str, Callable[[Path], None]] = {}
    flat = _flat(table)
    is_geo = isinstance(table, gpd.GeoDataFrame) and table.geometry.name in table

    def geojson(tmp: Path) -> None:
        if is_geo:
            flat.to_file(tmp, driver="GeoJSON")
        else:
            raise OutputError(f"{target}: this table has no geometry; write .csv or .parquet")

    def gpkg(tmp: Path) -> None:
        if is_geo:
            flat.to_file(tmp, driver="GPKG", layer=target.stem)
        else:
            raise OutputError(f"{target}: this table has no geometry; write .csv or .parquet")

    def csv(tmp: Path) -> None:
        plain = pd.DataFrame(flat.drop(columns=[table.geometry.name])) if is_geo else flat
        if csv_columns:
            plain = plain.rename(columns=csv_columns)
        plain.to_csv(tmp, index=False)

    def parquet(tmp: Path) -> None:
        flat.to_parquet(tmp, index=False)

    writers = {".geojson": geojson, ".gpkg": gpkg, ".csv": csv, ".parquet": parquet}
    try:
        with atomic_path(target) as tmp:
            writers[suffix](tmp)
    except OutputError:
        raise
    except OSError as err:
        raise OutputError(f"{target}: cannot write ({err.strerror or err})") from err
    return target
