#!/usr/bin/env bash
# Where the whole command's instructions go (issue 10 point 7): `follicle plan` on the full-scalp example under
# callgrind (repeatable under load, unlike times), the instructions then grouped by the source file each comes
# from (inlined code counts for the file it was written in). Needs valgrind.
#   bash scripts/profile-command.sh [CASE]
set -euo pipefail
cd "$(dirname "$0")/.."
case_file=${1:-examples/cases/full-scalp.toml}
# Line tables (to name the files) in a target folder of its own, so the release build is not rebuilt after.
CARGO_TARGET_DIR=target/profile cargo build --release -q -p follicle-cli --bin follicle \
  --config 'profile.release.debug="line-tables-only"'
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" \
  target/profile/release/follicle plan "$case_file" --out "$dir/out" -q 2>&1 | grep 'refs:' || true
callgrind_annotate "$dir/cg.out" 2>/dev/null | python3 -c '
import collections, re, sys
per_file, total = collections.Counter(), 0
for line in sys.stdin:
    t = re.match(r"\s*([\d,]+) \(.*\)\s+PROGRAM TOTALS", line)
    if t:
        total = int(t.group(1).replace(",", ""))
        continue
    m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S+?):(.*)", line)
    if not m:
        continue
    n, f = int(m.group(1).replace(",", "")), m.group(2)
    per_file[re.sub(r".*/(crates|registry/src/[^/]+)/", "", f)] += n
total = total or sum(per_file.values())
print(f"{total / 1e9:.3f} G instructions; by source file:")
for f, n in per_file.most_common(25):
    print(f"{100 * n / total:6.2f} %  {f}")
'
