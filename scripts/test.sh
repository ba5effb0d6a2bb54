#!/usr/bin/env bash
# The one command that runs every test of follicle from a fresh clone:
#   bash scripts/test.sh
# It installs what the tests need when it is missing (Python packages for the independent checkers,
# Debian tools), then runs the Rust tests and the independent plan check on the demo.
set -euo pipefail
cd "$(dirname "$0")/.."

need_py() { python3 -c "import $1" >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check "$2"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
need_apt() { # need_apt COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  as_root apt-get update -qq && as_root apt-get install -y -qq "$2" >/dev/null
}

echo "== installing test prerequisites when missing"
need_py numpy numpy
need_py scipy scipy
need_py icalendar icalendar
need_apt pdftoppm poppler-utils
need_apt rsvg-convert librsvg2-bin

echo "== cargo test (workspace)"
cargo test --workspace --release

echo "== independent plan check (tools/plan-check, GUIDE §3) on the demo and every example"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --release -q -- demo --out "$out/demo" -q
python3 tools/plan-check "$out/demo/plan.json"
for case in examples/cases/*.toml; do
  name=$(basename "$case" .toml)
  cargo run --release -q -- plan "$case" --out "$out/$name" -q
  python3 tools/plan-check "$out/$name/plan.json"
done
echo "== the stencil SVG renders with an independent renderer (librsvg)"
rsvg-convert -w 800 "$out/demo/stencil.svg" -o "$out/stencil.png"
test -s "$out/stencil.png"
echo "== the planning core builds for WebAssembly (pure: no I/O, no clock)"
if rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
  cargo build -q --release -p follicle-core --target wasm32-unknown-unknown
else
  echo "SKIPPED: the wasm32-unknown-unknown target cannot be installed here"
fi
echo "all tests passed"
