"""``python -m geomap.cli``: the same as ``geomap``."""

import sys

from geomap.cli import main

sys.exit(main())
