#!/usr/bin/python3
"""Puts a generated section into docs/BENCHMARKS.md between its markers
(<!-- begin NAME --> ... <!-- end NAME -->), replacing the previous one or
appending it, so each benchmark script rewrites only its own figures.

usage: splice_section.py NAME SECTION_FILE [TARGET]
"""
import pathlib
import sys

name, section_file = sys.argv[1], sys.argv[2]
target = pathlib.Path(sys.argv[3] if len(sys.argv) > 3 else "docs/BENCHMARKS.md")
begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
section = pathlib.Path(section_file).read_text().rstrip("\n")
block = f"{begin}\n{section}\n{end}"
text = target.read_text() if target.exists() else "# Benchmarks\n"
if begin in text and end in text:
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    text = head + block + tail
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
target.write_text(text)
