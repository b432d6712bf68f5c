"""Point-in-region lookups for millions of points (issue 11's join at scale).

:class:`RegionIndex` lays a grid over admin-1 polygons; ``geo.parallel`` re-exports it.
"""

from __future__ import annotations

import geopandas as gpd

__all__ = ["RegionIndex"]


class RegionIndex:
    """Point-in-region lookups for millions of points: a grid over the regions' polygons.

    Built once per set of regions: every grid cell that lies wholly inside one region
    answers for all the points in it; the others keep the list of regions whose bounding
    box meets them, and their points are tested exactly (``shapely.contains_xy`` on
    prepared polygons). A point on a border between two regions, or outside every region,
    gets ``-1``, like a ``within`` spatial join.

    Parameters
    ----------
    regions : GeoDataFrame
        Polygons in EPSG:4326 (any CRS in degrees-like units works).
    cell : float
        Grid cell size in the regions' units (default 0.25 degrees).

    Examples
    --------
    >>> import shapely
    >>> regions = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 2, 2), shapely.box(2, 0, 4, 2)])
    >>> RegionIndex(regions, cell=0.5).lookup([1.0, 3.0, 9.0], [1.0, 1.5, 1.0]).tolist()
    [0, 1, -1]
    """

    def __init__(self, regions: gpd.GeoDataFrame, cell: float = 0.25):
        import numpy as np
        import shapely

        self.geoms = np.asarray(regions.geometry.array, dtype=object)
        shapely.prepare(self.geoms)
        self.cell = cell
        bounds = shapely.bounds(self.geoms)
        self.x0, self.y0 = float(np.nanmin(bounds[:, 0])), float(np.nanmin(bounds[:, 1]))
        self.nx = int((np.nanmax(bounds[:, 2]) - self.x0) // cell) + 1
        self.ny = int((np.nanmax(bounds[:, 3]) - self.y0) // cell) + 1
        # owner[c]: the region that wholly holds cell c, -1 for none, -2 for "test exactly".
        owner = np.full(self.nx * self.ny, -1, dtype=np.int32)
        for k, (a, b, c, d) in enumerate(bounds):
            if not np.isfinite(a):
                continue
            i0, i1 = self._ix(a), self._ix(c)
            j0, j1 = self._iy(b), self._iy(d)
            ii, jj = np.meshgrid(np.arange(i0, i1 + 1), np.arange(j0, j1 + 1))
            ids = (jj * self.nx + ii).ravel()
            boxes = shapely.box(
                self.x0 + ii.ravel() * cell,
                self.y0 + jj.ravel() * cell,
                self.x0 + (ii.ravel() + 1) * cell,
                self.y0 + (jj.ravel() + 1) * cell,
            )
            inside = shapely.contains_properly(self.geoms[k], boxes)
            touch = inside | shapely.intersects(self.geoms[k], boxes)
            free = owner[ids] == -1
            owner[ids[touch & ~(inside & free)]] = -2
            owner[ids[inside & free]] = k
        self.owner = owner
        self.bounds = bounds

    def _ix(self, x):
        return int((x - self.x0) // self.cell)

    def _iy(self, y):
        return int((y - self.y0) // self.cell)

    def lookup(self, x, y):
        """The row position (in ``regions``) of the region holding each point, or -1."""
        import numpy as np
        import shapely

        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        out = np.full(len(x), -1, dtype=np.int32)
        ix = np.floor((x - self.x0) / self.cell)
        iy = np.floor((y - self.y0) / self.cell)
        ok = (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)
        cells = np.where(ok, iy * self.nx + ix, 0).astype(np.int64)
        own = np.where(ok, self.owner[cells], -1)
        out[own >= 0] = own[own >= 0]
        rest = np.flatnonzero(own == -2)
        if len(rest) == 0:
            return out
        # The rest, tested exactly against each region whose box holds them.
        rx, ry = x[rest], y[rest]
        order = np.argsort(rx, kind="stable")
        xs = rx[order]
        todo = np.ones(len(rest), dtype=bool)
        for k, (a, b, c, d) in enumerate(self.bounds):
            lo, hi = np.searchsorted(xs, a, "left"), np.searchsorted(xs, c, "right")
            if lo == hi:
                continue
            sel = order[lo:hi]
            yy = ry[sel]
            sel = sel[(yy >= b) & (yy <= d) & todo[sel]]
            if len(sel):
                hit = shapely.contains_xy(self.geoms[k], rx[sel], ry[sel])
                out[rest[sel[hit]]] = k
                todo[sel[hit]] = False
        return out
