#!/usr/bin/env bash
# Debian packages the project needs beyond Python: chromium for the browser tests (Playwright
# cannot download its own browser here), gettext for compiling the translations, ClamAV's daemon
# for the malware-scanning tests (they make their own signature database: nothing is downloaded),
# Node.js for the test OpenID provider, pg_dump/pg_restore for the backup commands, and poppler's
# pdfinfo for the test that generated PDFs are tagged (PDF/UA).
set -eu
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
[ -x /usr/sbin/clamd ] && command -v sigtool >/dev/null 2>&1 || missing+=(clamav-daemon)
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v pg_dump >/dev/null 2>&1 && command -v pg_restore >/dev/null 2>&1 || missing+=(postgresql-client)
command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}…"
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
