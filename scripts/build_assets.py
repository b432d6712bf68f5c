"""Bundle the browser libraries that geomap's maps need into ``maps/assets/``.

The maps need exactly one JavaScript library, Leaflet (geomap's own script
clusters events). It comes from the npm registry, pinned to an exact
version below, fetched with ``npm pack`` into a temporary folder. The images
that Leaflet's stylesheet points at are inlined as ``data:`` URIs, so that a
map with the assets inlined needs no other file and no network.

Run from the repository root (needs ``npm`` on the PATH)::

    python scripts/build_assets.py

The output is committed; nothing is downloaded when a user renders a map.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "maps" / "assets"

# package, exact version, licence, {file inside the tarball: file in maps/assets}
PACKAGES = [
    (
        "leaflet",
        "1.9.4",
        "BSD-2-Clause",
        {
            "package/dist/leaflet.js": "leaflet.js",
            "package/dist/leaflet.css": "leaflet.css",
            "package/LICENSE": "LICENSE.leaflet",
        },
    ),
]

_SOURCE_MAP = re.compile(rb"\n?/[/*]# sourceMappingURL=[^\n]*")
_URL = re.compile(r"url\((['\"]?)(images/[^)'\"]+)\1\)")


def _inline_images(css: str, members: dict[str, bytes]) -> str:
    """Replace ``url(images/x.png)`` in a stylesheet by a ``data:`` URI."""

    def repl(match: re.Match[str]) -> str:
        name = "package/dist/" + match.group(2)
        if name not in members:
            raise FileNotFoundError(f"stylesheet refers to {name!r}, not in the package")
        mime = "image/svg+xml" if name.endswith(".svg") else "image/png"
        data = base64.b64encode(members[name]).decode("ascii")
        return f'url("data:{mime};base64,{data}")'

    return _URL.sub(repl, css)


def _pack(name: str, version: str, workdir: Path) -> Path:
    out = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    filename = json.loads(out.stdout)[0]["filename"]
    return workdir / filename


def main() -> int:
    ASSETS.mkdir(parents=True, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, version, licence, files in PACKAGES:
            tarball = _pack(name, version, Path(tmp))
            with tarfile.open(tarball) as tar:
                members = {
                    m.name: tar.extractfile(m).read()  # type: ignore[union-attr]
                    for m in tar.getmembers()
                    if m.isfile()
                }
            sha = hashlib.sha256(tarball.read_bytes()).hexdigest()
            for src, dst in files.items():
                data = members[src]
                if dst.endswith(".css"):
                    data = _inline_images(data.decode("utf-8"), members).encode("utf-8")
                if dst.endswith((".js", ".css")):
                    # the source maps are not bundled: drop the pointer to them
                    data = _SOURCE_MAP.sub(b"", data)
                (ASSETS / dst).write_bytes(data)
                print(f"{name}@{version}: {src} -> maps/assets/{dst} ({len(data):,} bytes)")
            rows.append((name, version, licence, sha, sorted(files.values())))
    lines = [
        "# maps/assets: browser libraries bundled into geomap's maps",
        "",
        "Written by `python scripts/build_assets.py` (needs `npm`); do not edit by hand.",
        "The maps inline these files into the HTML they write, so a map needs no",
        "network and nothing is downloaded when a user renders one. Leaflet's",
        "images are inlined into `leaflet.css` as `data:` URIs by the script.",
        "",
        "| npm package | version | licence | files | tarball sha256 |",
        "|---|---|---|---|---|",
    ]
    for name, version, licence, sha, files in rows:
        lines.append(f"| `{name}` | {version} | {licence} | {', '.join(files)} | `{sha}` |")
    lines += [
        "",
        "No web fonts are used: the maps' own stylesheet (`maps/static/geomap.css`)",
        "uses the system font stack, so there is no font file to inline.",
        "",
    ]
    (ASSETS / "README.md").write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
