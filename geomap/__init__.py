"""The geomap application: the ``geomap`` command line (see :mod:`geomap.cli`)."""
