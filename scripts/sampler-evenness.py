#!/usr/bin/env python3
"""How even two builds' plans are, over many seeds (issue 10: a faster sampler must not be a blotchier one).

Plans examples/cases/full-scalp.toml (or CASE) with seeds 1..SEEDS on both builds, counts the impressions in
2, 4 and 8 mm squares over the top of the head (seen from above, within R mm of the top), divides each
square's count by its mean over every plan of both builds (so the head's curvature and the zones cancel
out) and prints the root-mean-square departure per build, with the mean per-seed difference and its
standard error. Equal builds give differences within about two standard errors.

  cargo build --release -p follicle-cli --bin follicle
  BEFORE=../main/target/release/follicle SEEDS=24 python3 scripts/sampler-evenness.py
"""
import csv, math, os, statistics, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
before = os.environ.get('BEFORE')
if not before:
    sys.exit('set BEFORE to the other build of follicle (e.g. ../main/target/release/follicle)')
builds = {'before': before, 'this': os.path.join(root, 'target/release/follicle')}
case = os.environ.get('CASE', os.path.join(root, 'examples/cases/full-scalp.toml'))
seeds = list(range(1, int(os.environ.get('SEEDS', '24')) + 1))
R = float(os.environ.get('R', '50'))
sizes = (2, 4, 8)
d = tempfile.mkdtemp(prefix='follicle-even-')
counts, centre = {}, None
for seed in seeds:
    for name, exe in builds.items():
        out = f'{d}/{name}'
        subprocess.run([exe, 'plan', case, '--out', out, '-q', '--seed', str(seed)], check=True)
        with open(f'{out}/impressions.csv') as f:
            pts = [(float(r['x_mm']), float(r['y_mm']), float(r['z_mm'])) for r in csv.DictReader(f)]
        if centre is None:
            ztop = max(p[2] for p in pts)
            top = [p for p in pts if p[2] > ztop - 20]
            centre = (sum(p[0] for p in top) / len(top), sum(p[1] for p in top) / len(top), ztop)
        cx, cy, ztop = centre
        for s in sizes:
            cnt = {}
            for x, y, z in pts:
                if z >= ztop - 60:
                    key = (math.floor((x - cx) / s), math.floor((y - cy) / s))
                    cnt[key] = cnt.get(key, 0) + 1
            counts[(name, seed, s)] = cnt
subprocess.run(['rm', '-rf', d])
print(f'{os.path.basename(case)}, seeds 1..{len(seeds)}, squares within {R:g} mm of the top')
for s in sizes:
    n = int(R // s)
    cells = [(i, j) for i in range(-n, n) for j in range(-n, n)
             if max(math.hypot((i + a) * s, (j + b) * s) for a in (0, 1) for b in (0, 1)) <= R]
    mean = {c: statistics.mean(counts[(k, sd, s)].get(c, 0) for k in builds for sd in seeds) for c in cells}
    rms = {k: [math.sqrt(statistics.mean((counts[(k, sd, s)].get(c, 0) / mean[c] - 1) ** 2
                                         for c in cells if mean[c] > 0)) for sd in seeds] for k in builds}
    diff = [b - a for a, b in zip(rms['before'], rms['this'])]
    print(f'{s} mm squares ({len(cells)}, {statistics.mean(mean.values()):.1f} impressions each): '
          f'before {statistics.mean(rms["before"]):.4f}, this {statistics.mean(rms["this"]):.4f}; '
          f'this - before {statistics.mean(diff):+.4f} ± {statistics.stdev(diff) / math.sqrt(len(diff)):.4f}')
