"""frame_records (column by column) writes what DataFrame.to_json wrote before."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd

from geomap.service import derive as D


def _to_json(df: pd.DataFrame) -> list[dict]:
    out = pd.DataFrame(df.drop(columns=["geometry"], errors="ignore")).copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return json.loads(out.to_json(orient="records", date_format="iso"))


def test_frame_records_as_to_json():
    df = gpd.GeoDataFrame(
        {
            "s": pd.array(["a", None, 'ü"/'], dtype="string"),
            "o": ["x", None, np.nan],
            "i": [1, 2, 3],
            "ni": pd.array([1, None, 3], dtype="Int64"),
            "f": [0.1 + 0.2, np.nan, 35.944580000001],
            "b": [True, False, True],
            "d": pd.to_datetime(["2021-08-01T00:00", None, "2021-08-03T12:00"]),
        },
        geometry=gpd.points_from_xy([1, 2, 3], [4, 5, 6]),
        crs="EPSG:4326",
    )
    got = D.frame_records(df)
    assert got == _to_json(df)
    assert [type(v) for v in got[0].values()] == [type(v) for v in _to_json(df)[0].values()]
    assert got[1]["d"] is None and got[2]["d"] == "2021-08-03" and got[0]["f"] == 0.3
    # a column of another kind: the to_json path
    df["x"] = [dict(a=1), None, None]
    assert D.frame_records(df) == _to_json(df)
