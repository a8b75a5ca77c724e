"""Re-extract translatable strings into resources/i18n/*.ts and compile them to .qm.

Run from the repository root after changing user-visible strings:
``uv run python installer/update_translations.py``. ``pyside6-lupdate`` keeps existing translations
(and marks vanished ones obsolete); new strings appear unfinished in the .ts until someone translates them
(with Qt Linguist, ``pyside6-linguist``, or by editing the XML). ``pyside6-lrelease`` then writes the
.qm files the app loads (desktop/ui/i18n.py). Both files are committed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("zh_CN",)


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        raise SystemExit(f"{name} not found: run inside the project environment (uv run ...)")
    return found


def main() -> int:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "desktop").rglob("*.py"))
    folder = ROOT / "resources" / "i18n"
    folder.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        ts = folder / f"liqguard_{language}.ts"
        subprocess.run(
            [
                tool("pyside6-lupdate"),
                *sources,
                "-target-language",
                language,
                "-locations",  # no file/line references: the .ts changes only when strings do
                "none",
                "-ts",
                str(ts.relative_to(ROOT)),
            ],
            cwd=ROOT,
            check=True,
        )
        subprocess.run(
            [
                tool("pyside6-lrelease"),
                str(ts.relative_to(ROOT)),
                "-qm",
                str(ts.with_suffix(".qm").relative_to(ROOT)),
            ],
            cwd=ROOT,
            check=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
