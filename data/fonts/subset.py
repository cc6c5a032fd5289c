#!/usr/bin/env python3
"""Builds the map font: WenQuanYi Micro Hei (Apache-2.0) cut down to the
characters agglo draws: printable ASCII, a few symbols, and every character of
the shipped data's Chinese names (cities, county units, agglomerations, the
shipped scenarios' added cities) and of the map's own Chinese words.

Needs Debian's fonts-wqy-microhei and fonttools (Debian's python3-fonttools
or `pip install fonttools`). Writes
data/fonts/wqy-microhei-subset.ttf and data/fonts/covered.txt (the characters
the font holds, read by agglo to fall back to English labels elsewhere).
Run from the repository root: python3 data/fonts/subset.py
"""
import glob
import shutil
import subprocess
import sys

SRC = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
chars = {chr(c) for c in range(0x20, 0x7F)} | set("–—≤≥∝·×°’‘“”（）()、，：")
DATA = ["data/cities.csv", "data/counties.csv", "data/agglomerations.csv"]
DATA += sorted(glob.glob("data/scenarios/*.toml"))
for path in DATA + sorted(glob.glob("src/render/*.rs")) + ["src/cli/map.rs"]:
    with open(path, encoding="utf-8") as f:
        chars |= {ch for ch in f.read() if ord(ch) >= 0x2E80}
text = "".join(sorted(chars))
with open("data/fonts/covered.txt", "w", encoding="utf-8") as f:
    f.write(text + "\n")
PYFTSUBSET = [shutil.which("pyftsubset")] if shutil.which("pyftsubset") else [sys.executable, "-m", "fontTools.subset"]
subprocess.run(
    PYFTSUBSET + [SRC, "--font-number=0", "--text-file=data/fonts/covered.txt",
     "--output-file=data/fonts/wqy-microhei-subset.ttf", "--no-hinting",
     "--layout-features=*", "--name-IDs=*", "--name-languages=*"],
    check=True,
)
print(f"{len(chars)} characters")
