"""CPython's json.load of a file, timed in-process: the median of RUNS loads (the file is
opened and read each time, as json.load(open(path)) does). The reference for the policy
loader in docs/performance.md.

Usage: python3 benches/support/json_load.py PATH [RUNS]
"""
import json, statistics, sys, time
path, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 11
times = []
for _ in range(runs):
    start = time.perf_counter()
    with open(path) as f:
        json.load(f)
    times.append(time.perf_counter() - start)
print(f"{path}: json.load median of {runs}: {statistics.median(times) * 1e3:.2f}ms")
