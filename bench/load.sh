#!/usr/bin/env bash
# Bounded load test on loopback: mixed queries (deep linked, timeline, search, node) against a
# release build for DURATION seconds (60) at CONNECTIONS connections (64), then stops. Prints
# throughput, latency, errors, and the server's resident memory before and after.
#
# Usage: bench/load.sh            (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-60}"
CONNECTIONS="${CONNECTIONS:-64}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/caregraph"
work="$(mktemp -d)"
"$bin" --database "sqlite://$work/load.db" serve --bind 127.0.0.1:0 2>"$work/server.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
url=""
for _ in $(seq 1 120); do
  url="$(grep -o 'http://[0-9.:]*/graphql' "$work/server.log" | head -n1 || true)"
  [ -n "$url" ] && break
  sleep 0.5
done
[ -n "$url" ] || { cat "$work/server.log" >&2; exit 1; }
base="${url%/graphql}"

NODE_ID="$(curl -s "$url" -H 'content-type: application/json' \
  -d '{"query":"{ commitments { nodes { id } } }"}' | grep -o '"id":"[^"]*"' | head -n1 | cut -d'"' -f4)"
export NODE_ID
rss() { awk '/VmRSS/ { print $2 }' "/proc/$pid/status"; }
# A short warm-up so the start figure is the server's steady state, not its cold start.
DURATION_WARM=5
wrk -t2 -c"$CONNECTIONS" -d"${DURATION_WARM}s" -s bench/mixed.lua "$base" >/dev/null
rss_start="$(rss)"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/mixed.lua "$base" | tee "$work/wrk.txt"
rss_end="$(rss)"
peak="$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")"

non2xx="$(awk '/Non-2xx/ { print $NF }' "$work/wrk.txt")"
socket="$(grep -o 'Socket errors:.*' "$work/wrk.txt" || true)"
gql="$(awk '/graphql_errors/ { print $2 }' "$work/wrk.txt")"
echo
echo "duration ${DURATION}s, ${CONNECTIONS} connections"
echo "RSS at start ${rss_start} KiB, at end ${rss_end} KiB, peak ${peak} KiB"
echo "non-2xx responses: ${non2xx:-0}; GraphQL errors: ${gql:-0}; ${socket:-socket errors: none}"
if [ "${non2xx:-0}" != "0" ] || [ "${gql:-0}" != "0" ] || [ -n "$socket" ]; then
  exit 1
fi
