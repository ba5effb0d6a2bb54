#!/usr/bin/env bash
# Restarts the test PostgreSQL server that scripts/test.sh started (the PostgreSQL-restart test runs it while
# `follicle serve` is under load): a fast shutdown, then a start with the same options, as the server's owner.
# Needs FOLLICLE_TEST_PG_CTL (pg_ctl) and FOLLICLE_TEST_PG_DATA (its data directory); FOLLICLE_TEST_PG_LOG is
# the server log (default: discarded), FOLLICLE_TEST_PG_OPTS the server options it was started with (port,
# socket folder, TLS; `start` needs them, a restart keeps them by itself). `pg-restart.sh stop` stops it at once (as a crash would), `pg-restart.sh
# start` starts it again; no argument restarts it.
set -euo pipefail
: "${FOLLICLE_TEST_PG_CTL:?set FOLLICLE_TEST_PG_CTL to the test server's pg_ctl}"
: "${FOLLICLE_TEST_PG_DATA:?set FOLLICLE_TEST_PG_DATA to the test server's data directory}"
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$(stat -c %U "$FOLLICLE_TEST_PG_DATA")" -- "$@"; else "$@"; fi
}
case "${1:-restart}" in
  restart) as_owner "$FOLLICLE_TEST_PG_CTL" -D "$FOLLICLE_TEST_PG_DATA" -l "${FOLLICLE_TEST_PG_LOG:-/dev/null}" -m fast -w restart >/dev/null ;;
  stop) as_owner "$FOLLICLE_TEST_PG_CTL" -D "$FOLLICLE_TEST_PG_DATA" -m immediate -w stop >/dev/null ;;
  start) as_owner "$FOLLICLE_TEST_PG_CTL" -D "$FOLLICLE_TEST_PG_DATA" -l "${FOLLICLE_TEST_PG_LOG:-/dev/null}" -o "${FOLLICLE_TEST_PG_OPTS:-}" -w start >/dev/null ;;
  *) echo "usage: pg-restart.sh [restart|stop|start]" >&2; exit 2 ;;
esac
