"""geomap's data files, installed as the package ``geomap_data``; see ``geo.resources``."""
