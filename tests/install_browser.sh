#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing. Playwright drives
# this browser; its own browser download ('playwright install') cannot work offline.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi
echo "installing Debian's chromium for the browser tests (apt-get)" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
