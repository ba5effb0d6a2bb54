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
# Browser tests of the studio UI: Debian's Chromium driven by playwright-core (never a downloaded browser).
[ -x /usr/bin/chromium ] || { as_root apt-get update -qq && as_root apt-get install -y -qq chromium >/dev/null; }
need_apt node nodejs
need_apt npm npm
[ -d crates/follicle-studio-ui/e2e/node_modules ] || npm ci --prefix crates/follicle-studio-ui/e2e --no-audit --no-fund

echo "== a private PostgreSQL server for the store and API tests"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
fi
pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
pg_dir=$(mktemp -d /tmp/follicle-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
pg_run "$pg_bin/initdb" -D "$pg_dir/data" -U follicle --auth=trust -E UTF8 >/dev/null
# TLS on the test server, from a throw-away certificate authority, so the tests can connect with sslmode=require.
need_apt openssl openssl
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pg_dir/ca.key" -out "$pg_dir/ca.pem" -days 2 -subj "/CN=follicle test CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$pg_dir/server.key" -out "$pg_dir/server.csr" -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$pg_dir/server.ext"
openssl x509 -req -in "$pg_dir/server.csr" -CA "$pg_dir/ca.pem" -CAkey "$pg_dir/ca.key" -CAcreateserial -out "$pg_dir/server.pem" -days 2 -extfile "$pg_dir/server.ext" 2>/dev/null
chmod 600 "$pg_dir/server.key"
[ "$(id -u)" = 0 ] && chown postgres "$pg_dir/server.key" "$pg_dir/server.pem"
pg_opts="-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on -c ssl_cert_file=$pg_dir/server.pem -c ssl_key_file=$pg_dir/server.key"
pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -o "$pg_opts" start >/dev/null
pg_stop() { pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
out=""
trap 'pg_stop; rm -rf "${out:-}"' EXIT
export FOLLICLE_TEST_POSTGRES_URL="postgres://follicle@127.0.0.1:$pg_port/postgres"
# The certificate authority that signed the test server's TLS certificate (the TLS test trusts it explicitly).
export FOLLICLE_TEST_PG_CA="$pg_dir/ca.pem"
# The PostgreSQL-restart test restarts this server through scripts/pg-restart.sh.
export FOLLICLE_TEST_PG_CTL="$pg_bin/pg_ctl" FOLLICLE_TEST_PG_DATA="$pg_dir/data" FOLLICLE_TEST_PG_LOG="$pg_dir/log" FOLLICLE_TEST_PG_OPTS="$pg_opts"
# PostgreSQL tests fail instead of skipping when CI is set and the database URL is missing.
export CI="${CI:-1}"

echo "== formatting (rustfmt) and lints (clippy, warnings are errors)"
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --release -q -- -D warnings

echo "== cargo test (workspace)"
cargo test --workspace --release --no-fail-fast

echo "== independent plan check (tools/plan-check, GUIDE §3) on the demo and every example"
out=$(mktemp -d)
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
echo "== the stencil PDF renders every page with an independent renderer (poppler)"
pdftoppm -r 50 -png "$out/demo/stencil.pdf" "$out/stencil-page"
test "$(ls "$out"/stencil-page*.png | wc -l)" = "$(pdfinfo "$out/demo/stencil.pdf" | awk '/^Pages:/ {print $2}')"
# The planning core for WebAssembly (pure: no I/O, no clock) is built and embedded by follicle-studio-ui's
# build.rs during `cargo test --workspace` above (crates/follicle-wasm, target/follicle-wasm/), and the browser
# tests run it; nothing more to build here.
echo "all tests passed"
