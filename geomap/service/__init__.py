"""``geomap serve``: a live mapping service on geomap's pipeline (FastAPI, SQLAlchemy).

Modules: :mod:`~geomap.service.store` (schema, migrations), :mod:`~geomap.service.ingest`
(request bodies), :mod:`~geomap.service.derive` (pipeline and merging),
:mod:`~geomap.service.core` (the service), :mod:`~geomap.service.query` (reads),
:mod:`~geomap.service.app` (HTTP), :mod:`~geomap.service.page` (the live map),
:mod:`~geomap.service.watch` (folder intake), :mod:`~geomap.service.cli` (commands).
See docs/service.md.
"""
