#!/usr/bin/env python3
"""Light density zones among denser ones, judged by tools/plan-check (issue 10: GUIDE §3 on every plan).

Writes 60 case files: a rectangular user density zone of 5, 8, 12, 20 or 40 impressions/cm² (36×30, 50×45 or
70×30 mm seen from above, just behind the top of the head) in a Norwood 4 and a Norwood 6 design, seeds 1
and 2, plans each with every build given and runs ../shared/tools/plan-check on its plan.json. Prints per
build how many plans pass and the worst δ_min, and each failing case.

  cargo build --release -p follicle-cli --bin follicle
  python3 scripts/light-zone-sweep.py target/release/follicle [OTHER_BUILD ...]
"""
import itertools, os, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
check = os.path.join(os.path.dirname(root), 'shared', 'tools', 'plan-check')
builds = sys.argv[1:] or [os.path.join(root, 'target/release/follicle')]
d = tempfile.mkdtemp(prefix='follicle-sweep-')
cases = []
for density, (w, h), seed, stage in itertools.product(
        [5, 8, 12, 20, 40], [(36, 30), (50, 45), (70, 30)], [1, 2], [4, 6]):
    name = f'{density}cm2-{w}x{h}mm-seed{seed}-norwood{stage}'
    path = os.path.join(d, name + '.toml')
    with open(path, 'w') as f:
        f.write(f'seed = {seed}\npattern = "norwood-{stage}"\n\n[[zone]]\nid = "light"\nkind = "density"\n'
                f'polygon = [[{-w // 2}, -10], [{w // 2}, -10], [{w // 2}, {h - 10}], [{-w // 2}, {h - 10}]]\n'
                f'density_cm2 = {density}\n')
    cases.append((name, path))
for b, exe in enumerate(builds):
    passed, worst, failed = 0, 9.0, []
    for name, path in cases:
        out = os.path.join(d, f'b{b}', name)
        subprocess.run([exe, 'plan', path, '--out', out, '-q'], check=True)
        r = subprocess.run([sys.executable, check, os.path.join(out, 'plan.json')], capture_output=True, text=True)
        last = r.stdout.strip().splitlines()[-1]
        worst = min(worst, float(last.split('worst delta_min ')[1].split(',')[0]))
        if r.returncode == 0:
            passed += 1
        else:
            failed.append(f'  {name}: {last}')
    print(f'{exe}: {passed} of {len(cases)} plans pass plan-check; worst delta_min {worst:.3f}')
    print('\n'.join(failed))
