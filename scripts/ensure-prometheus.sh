#!/usr/bin/env bash
# The live-fleet tests (test/fleet/) run a real Prometheus: Debian's `prometheus` package. Install
# it once when it is missing, so `npm test` works on a fresh machine. Only the binary is used: the
# tests start their own server on a free loopback port with a throwaway data directory.
set -euo pipefail
[ -x /usr/bin/prometheus ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "npm test: installing Debian's prometheus for the live-fleet tests" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  # The package's service is not wanted; on machines with an init system, stop it.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then systemctl stop prometheus || true; fi
else
  echo "npm test: /usr/bin/prometheus is missing; install Debian's prometheus (sudo apt-get install prometheus)" >&2
  exit 1
fi
