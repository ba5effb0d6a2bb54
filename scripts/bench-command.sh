#!/usr/bin/env bash
# Whole-command benchmark with hyperfine (apt-get install hyperfine): `follicle plan` on the full-scalp
# example, whole process, against the fast_poisson crate generating the same number of points and writing
# them (crates/follicle-cli/examples/fast_poisson_baseline.rs), in the same run.
# Without hyperfine it runs the Rust benchmark that alternates the two (crates/follicle-cli/benches/command.rs).
#   bash scripts/bench-command.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v hyperfine >/dev/null 2>&1; then
  exec cargo bench -p follicle-cli --bench command
fi
cargo build --release -q -p follicle-cli --bin follicle --example fast_poisson_baseline
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
target/release/follicle plan examples/cases/full-scalp.toml --out "$dir/fs" -q
count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["impressions"]))' "$dir/fs/plan.json")
radius=$(target/release/examples/fast_poisson_baseline --calibrate "$count")
echo "full-scalp plan: $count impressions; fast_poisson radius $radius for the same count"
hyperfine -N --warmup 2 --runs "${RUNS:-15}" --export-json "$dir/h.json" \
  -n follicle "target/release/follicle plan examples/cases/full-scalp.toml --out $dir/fs -q" \
  -n fast_poisson "target/release/examples/fast_poisson_baseline --radius $radius $dir/baseline.csv"
python3 - "$dir/h.json" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"medians: follicle {r['follicle']*1e3:.1f} ms, fast_poisson {r['fast_poisson']*1e3:.1f} ms, "
      f"ratio {r['follicle']/r['fast_poisson']:.2f} (target <= 0.35)")
PY
