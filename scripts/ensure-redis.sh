#!/usr/bin/env bash
# The Redis queue's tests (test/runtime/redis-runner.test.ts, test/cli/redis.test.ts,
# test/api/redis.test.ts) start Debian's redis-server themselves on a free loopback port. Install
# it once when it is missing, so `npm test` works on a fresh machine. `npm start` never needs it.
set -euo pipefail
command -v redis-server >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "npm test: installing Debian's redis-server for the Redis queue's tests" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  # The tests start their own servers; the package's service is not needed (and no init runs it here).
  if command -v service >/dev/null 2>&1; then service redis-server stop >/dev/null 2>&1 || true; fi
else
  echo "npm test: redis-server is missing; install Debian's redis-server (sudo apt-get install redis-server)" >&2
  exit 1
fi
