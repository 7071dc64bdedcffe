#!/usr/bin/env bash
# npm test's browser check of the HTML report (test/report/html-browser.test.ts) drives Debian's
# chromium. Install it once when it is missing, so `npm test` works on a fresh machine.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "npm test: installing Debian's chromium for the HTML report's browser test" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "npm test: /usr/bin/chromium is missing; install Debian's chromium (sudo apt-get install chromium)" >&2
  exit 1
fi
