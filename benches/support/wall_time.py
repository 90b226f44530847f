"""Whole-process wall time of shell commands, run alternately (so that load from other
work on the machine falls on each alike): the median of RUNS runs each. Used for the
policy loader in docs/performance.md (no hyperfine on the project's machine).

Usage: python3 benches/support/wall_time.py RUNS COMMAND...
"""
import statistics, subprocess, sys, time
runs = int(sys.argv[1]); cmds = sys.argv[2:]
times = {c: [] for c in cmds}
for _ in range(runs):
    for c in cmds:
        start = time.perf_counter()
        subprocess.run(c, shell=True, check=True, stdout=subprocess.DEVNULL)
        times[c].append(time.perf_counter() - start)
for c in cmds:
    t = sorted(times[c])
    print(f"median {statistics.median(t) * 1e3:7.1f} ms  (min {t[0] * 1e3:.1f}, max {t[-1] * 1e3:.1f})  {c}")
