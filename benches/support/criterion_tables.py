#!/usr/bin/env python3
"""Criterion medians as the markdown tables of docs/performance.md.

Usage: python3 benches/support/criterion_tables.py GROUP_PREFIX [GROUP_PREFIX ...]

Reads target/criterion/**/new/benchmark.json and estimates.json (written by `cargo bench`)
and prints, for every benchmark group whose id starts with one of the prefixes, one table:
a row per parameter (criterion's `value_str`, in numeric order where it is a number), a
column per function, each cell the median per iteration (criterion's
`median.point_estimate`), and the time the figure was written. Nothing is computed here
that criterion did not measure.
"""

import json
import os
import re
import sys
from datetime import datetime

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "target", "criterion")


def human(ns):
    if ns < 1e3:
        return f"{ns:.1f} ns" if ns < 10 else f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.2f} µs"
    if ns < 1e9:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e9:.2f} s"


def param_key(value):
    numbers = [int(n) for n in re.findall(r"\d+", value or "")]
    return (numbers, value or "")


def main(prefixes):
    groups = {}
    stamps = []
    for dirpath, _, files in os.walk(ROOT):
        if not dirpath.endswith(os.sep + "new") or "benchmark.json" not in files:
            continue
        with open(os.path.join(dirpath, "benchmark.json")) as f:
            bench = json.load(f)
        if not any(bench["group_id"].startswith(p) for p in prefixes):
            continue
        estimates = os.path.join(dirpath, "estimates.json")
        with open(estimates) as f:
            median = json.load(f)["median"]["point_estimate"]
        stamps.append(os.path.getmtime(estimates))
        table = groups.setdefault(bench["group_id"], {})
        table[(bench["value_str"], bench["function_id"] or "")] = median
    for group in sorted(groups):
        table = groups[group]
        functions = sorted({f for _, f in table})
        params = sorted({p for p, _ in table}, key=param_key)
        print(f"\n{group}\n")
        print("| | " + " | ".join(functions) + " |")
        print("| --- |" + " ---: |" * len(functions))
        for p in params:
            cells = [human(table[(p, f)]) if (p, f) in table else "—" for f in functions]
            print(f"| {p or ''} | " + " | ".join(cells) + " |")
    if stamps:
        first = datetime.fromtimestamp(min(stamps)).isoformat(timespec="minutes")
        last = datetime.fromtimestamp(max(stamps)).isoformat(timespec="minutes")
        print(f"\n(figures written between {first} and {last})")


if __name__ == "__main__":
    main(sys.argv[1:] or [""])
