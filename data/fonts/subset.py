#!/usr/bin/env python3
"""Builds the map font: WenQuanYi Micro Hei (Apache-2.0) cut down to the
characters agglo draws: printable ASCII, a few symbols, and every character of
the shipped data's Chinese names and of the map's own Chinese words.

Needs Debian's fonts-wqy-microhei and `pip install fonttools`. Writes
data/fonts/wqy-microhei-subset.ttf and data/fonts/covered.txt (the characters
the font holds, read by agglo to fall back to English labels elsewhere).
Run from the repository root: python3 data/fonts/subset.py
"""
import glob
import subprocess

SRC = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
chars = {chr(c) for c in range(0x20, 0x7F)} | set("–—≤≥∝·×°’‘“”（）()、，：")
for path in ["data/cities.csv", "data/agglomerations.csv"] + sorted(glob.glob("src/render/*.rs")) + ["src/cli/map.rs"]:
    with open(path, encoding="utf-8") as f:
        chars |= {ch for ch in f.read() if ord(ch) >= 0x2E80}
text = "".join(sorted(chars))
with open("data/fonts/covered.txt", "w", encoding="utf-8") as f:
    f.write(text + "\n")
subprocess.run(
    ["pyftsubset", SRC, "--font-number=0", "--text-file=data/fonts/covered.txt",
     "--output-file=data/fonts/wqy-microhei-subset.ttf", "--no-hinting",
     "--layout-features=*", "--name-IDs=*", "--name-languages=*"],
    check=True,
)
print(f"{len(chars)} characters")
