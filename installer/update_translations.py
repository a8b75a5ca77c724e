"""Re-extract translatable strings into resources/i18n/*.ts and compile them to .qm.

Run from the repository root (or anywhere: paths are the repository's) after changing user-visible strings:
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
                "-no-obsolete",  # strings removed from the code leave the .ts
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
        finished, total = count_finished(ts)
        print(f"{ts.name}: {finished} of {total} messages finished")
    return 0


def count_finished(ts: Path) -> tuple[int, int]:
    """(finished, total) messages of a .ts file."""
    import xml.etree.ElementTree as ET

    translations = [m.find("translation") for m in ET.parse(ts).getroot().iter("message")]
    finished = sum(1 for t in translations if t is not None and not t.get("type"))
    return finished, len(translations)


if __name__ == "__main__":
    raise SystemExit(main())
