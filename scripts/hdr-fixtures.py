#!/usr/bin/env python3
"""HdrHistogram V2 interoperability fixtures for LoadTree's HDR codec.

Uses the reference Python implementation (`pip install hdrhistogram`, module `hdrh`) with the
trend-histogram layout LoadTree uses (lowest 1, highest 3600000000, 3 significant digits).

    python3 scripts/hdr-fixtures.py generate   # write python-*.txt / python-*.json
    python3 scripts/hdr-fixtures.py verify     # decode every *.txt (Python- and Swift-written)
                                               # and compare with its .json

Each fixture is NAME.txt (base64 of the compressed V2 encoding, one line) and NAME.json:
{"lowest": 1, "highest": 3600000000, "digits": 3, "values": [[value, count], ...]}.
Values are given at the lowest value of their slot so that both sides agree exactly.
Swift-written fixtures (swift-*.txt) are produced by the Swift tests' encoder; `verify`
proves that Python reads them.
"""
import json
import math
import os
import random
import sys

from hdrh.histogram import HdrHistogram

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "LoadTreeCoreTests", "Fixtures", "hdr")
LOWEST, HIGHEST, DIGITS = 1, 3600000000, 3


def fixture_sets():
    rng = random.Random(20261123)
    sets = {
        "python-empty": [],
        "python-small": [[1, 1], [3, 2], [10, 5], [2047, 1]],
        # k6-reference example {10, 15, 20} ms, recorded in microseconds.
        "python-k6-trend": [[10000, 1], [15000, 1], [20000, 1]],
        "python-extremes": [[0, 7], [1, 1], [HIGHEST, 3], [1 << 31, 2**40]],
    }
    wide = {}
    for _ in range(500):
        # Log-uniform over the whole range, so every bucket magnitude appears.
        value = min(int(math.exp(rng.uniform(0, math.log(HIGHEST + 1)))), HIGHEST)
        wide[value] = rng.choice([1, 1, 2, 17, 1000, 123456789, 2**50])
    sets["python-wide"] = sorted([v, c] for v, c in wide.items())
    latencies = {}
    for _ in range(2000):
        v = int(rng.lognormvariate(11, 1.0))  # around 60 ms in microseconds
        latencies[min(v, HIGHEST)] = latencies.get(min(v, HIGHEST), 0) + 1
    sets["python-latency"] = sorted([v, c] for v, c in latencies.items())
    return sets


def build(values):
    h = HdrHistogram(LOWEST, HIGHEST, DIGITS)
    for value, count in values:
        h.record_value(value, count)
    return h


def canonical(h, values):
    """[[slot-lowest value, count], ...] merged per slot, as a decoder sees them."""
    slots = {}
    for value, count in values:
        low = h.get_lowest_equivalent_value(value)
        slots[low] = slots.get(low, 0) + count
    return sorted([v, c] for v, c in slots.items())


def generate():
    os.makedirs(FIXTURES, exist_ok=True)
    for name, values in fixture_sets().items():
        h = build(values)
        with open(os.path.join(FIXTURES, name + ".txt"), "w") as f:
            f.write(h.encode().decode("ascii") + "\n")
        meta = {"lowest": LOWEST, "highest": HIGHEST, "digits": DIGITS, "values": canonical(h, values)}
        with open(os.path.join(FIXTURES, name + ".json"), "w") as f:
            json.dump(meta, f, separators=(",", ":"))
            f.write("\n")
        print("wrote", name, "total", h.get_total_count())


def verify():
    failures = 0
    names = sorted(n[:-4] for n in os.listdir(FIXTURES) if n.endswith(".txt"))
    for name in names:
        with open(os.path.join(FIXTURES, name + ".txt")) as f:
            text = f.read().strip()
        with open(os.path.join(FIXTURES, name + ".json")) as f:
            meta = json.load(f)
        h = HdrHistogram.decode(text)
        ok = (h.lowest_trackable_value == meta["lowest"]
              and h.highest_trackable_value == meta["highest"]
              and h.significant_figures == meta["digits"]
              and h.get_total_count() == sum(c for _, c in meta["values"])
              and all(h.get_count_at_value(v) == c for v, c in meta["values"]))
        print(("ok    " if ok else "FAIL  ") + name)
        failures += 0 if ok else 1
    print("%d passed, %d failed" % (len(names) - failures, failures))
    return failures == 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "generate"
    if command == "generate":
        generate()
    elif command == "verify":
        sys.exit(0 if verify() else 1)
    else:
        sys.exit("usage: hdr-fixtures.py generate|verify")
