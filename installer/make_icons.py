"""Generate the app icon's PNG, ICO and ICNS files from resources/icons/liqguard.svg.

    uv run python installer/make_icons.py                # writes into resources/icons/
    uv run python installer/make_icons.py --out DIR      # writes elsewhere (the tests compare)

Qt's own SVG renderer (QSvgRenderer, the one the app uses at run time) draws every size from the
vector, so the 16 px icon is rendered at 16 px instead of being shrunk from 256 px. Pillow (a dev
dependency only) packs those renderings into the multi-size .ico (Windows) and .icns (macOS)
containers, which Qt can read but not write with more than one size.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "liqguard.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# 512 and 1024 are the Retina entries (ic09/ic10); they exist only inside the .icns.
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """Render the SVG into a transparent size x size ARGB image."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def to_pil(image: QImage) -> Image.Image:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def generate(out_dir: Path) -> list[Path]:
    """Write liqguard-<size>.png, liqguard.ico and liqguard.icns into out_dir; return the paths."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: cannot parse {SVG}")
    out_dir.mkdir(parents=True, exist_ok=True)
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES))
    images = {size: to_pil(render(renderer, size)) for size in sizes}
    written: list[Path] = []
    for size in PNG_SIZES:
        path = out_dir / f"liqguard-{size}.png"
        images[size].save(path, optimize=True)
        written.append(path)
    ico = out_dir / "liqguard.ico"
    largest = images[max(ICO_SIZES)]
    largest.save(
        ico,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    written.append(ico)
    icns = out_dir / "liqguard.icns"
    images[max(ICNS_SIZES)].save(
        icns, format="ICNS", append_images=[images[s] for s in ICNS_SIZES if s != max(ICNS_SIZES)]
    )
    written.append(icns)
    del app
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SVG.parent, help="output directory")
    args = parser.parse_args()
    for path in generate(args.out):
        print(f"{path}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
