#!/usr/bin/env python3
"""Whole-command A/B benchmark (issue 10 point 7): `follicle plan examples/cases/full-scalp.toml` as a process
against the fast_poisson crate generating the same number of points (crates/follicle-cli/examples/
fast_poisson_baseline.rs), and optionally against another build of follicle (BEFORE=path/to/follicle), the
commands alternating run after run so machine load hits all alike. Prints medians, ratios and the load average.

  cargo build --release -p follicle-cli --bin follicle --example fast_poisson_baseline
  BEFORE=../main/target/release/follicle RUNS=15 python3 scripts/bench-command-ab.py
  THIS=/path/to/follicle BEFORE=... python3 scripts/bench-command-ab.py   (two builds kept aside)
  CASE=examples/cases/norwood6-average.toml BEFORE=... python3 scripts/bench-command-ab.py   (another case)
"""
import json, os, statistics, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
runs = int(os.environ.get('RUNS', '15'))
this = os.environ.get('THIS') or os.path.join(root, 'target/release/follicle')  # THIS=another build to time as "follicle"
fp = os.path.join(root, 'target/release/examples/fast_poisson_baseline')
case = os.path.abspath(os.environ.get('CASE') or os.path.join(root, 'examples/cases/full-scalp.toml'))  # CASE=another case file
d = tempfile.mkdtemp(prefix='follicle-ab-')
subprocess.run([this, 'plan', case, '--out', f'{d}/fs', '-q'], check=True)
count = len(json.load(open(f'{d}/fs/plan.json'))['impressions'])
radius = subprocess.run([fp, '--calibrate', str(count)], check=True, capture_output=True, text=True).stdout.strip()
cmds = {'fast_poisson': [fp, '--radius', radius, f'{d}/baseline.csv']}
if os.environ.get('BEFORE'):
    cmds['before'] = [os.environ['BEFORE'], 'plan', case, '--out', f'{d}/before', '-q']
cmds['follicle'] = [this, 'plan', case, '--out', f'{d}/after', '-q']
times = {k: [] for k in cmds}
load0 = os.getloadavg()
for i in range(runs + 2):  # two warm-up rounds
    for k, c in cmds.items():
        t = time.perf_counter()
        subprocess.run(c, check=True)
        if i >= 2:
            times[k].append(time.perf_counter() - t)
load1 = os.getloadavg()
med = {k: statistics.median(v) * 1e3 for k, v in times.items()}
print(f'{os.path.basename(case)}: {count} impressions; fast_poisson radius {radius}; {runs} alternating runs after 2 warm-ups')
print('load average before', ' / '.join(f'{x:.2f}' for x in load0), '; after', ' / '.join(f'{x:.2f}' for x in load1))
for k in cmds:
    print(f'{k:13} median {med[k]:8.1f} ms (min {min(times[k]) * 1e3:.1f}, max {max(times[k]) * 1e3:.1f})'
          + ('' if k == 'fast_poisson' else f', ratio to fast_poisson {med[k] / med["fast_poisson"]:.3f}'))
subprocess.run(['rm', '-rf', d])
