"""Generate the alert sounds in resources/sounds/ (short 16-bit mono WAVs, the format QSoundEffect plays).

Run from the repository root: ``uv run python installer/make_sounds.py``. Deterministic: the same bytes
every run, so the committed files can be checked against this script.

* ``alert-warning.wav``: two rising tones (660 Hz then 880 Hz), 0.36 s.
* ``alert-critical.wav``: three high tones (988 Hz, 1319 Hz, 988 Hz), 0.54 s, louder.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 44_100  # samples per second
TONE_S = 0.16  # length of one tone
GAP_S = 0.02  # silence between tones
FADE_S = 0.01  # linear fade in and out, avoids clicks


def tone(frequency_hz: float, amplitude: float) -> list[int]:
    count = int(RATE * TONE_S)
    fade = int(RATE * FADE_S)
    samples = []
    for i in range(count):
        envelope = min(1.0, i / fade, (count - 1 - i) / fade)
        value = amplitude * envelope * math.sin(2.0 * math.pi * frequency_hz * i / RATE)
        samples.append(round(value * 32_767))
    return samples + [0] * int(RATE * GAP_S)


def write(path: Path, frequencies: tuple[float, ...], amplitude: float) -> None:
    samples = [s for f in frequencies for s in tone(f, amplitude)]
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))


def main() -> None:
    folder = Path(__file__).resolve().parent.parent / "resources" / "sounds"
    folder.mkdir(parents=True, exist_ok=True)
    write(folder / "alert-warning.wav", (660.0, 880.0), 0.5)
    write(folder / "alert-critical.wav", (988.0, 1318.5, 988.0), 0.7)
    for path in sorted(folder.glob("*.wav")):
        print(f"{path} {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
