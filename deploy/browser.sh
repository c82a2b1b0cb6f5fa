#!/usr/bin/env bash
# What the web view's browser test needs (idempotent, quiet): Debian's Chromium and tests/WebView's playwright-core
# (playwright-core downloads no browser; the test drives /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
  echo "[browser] installing chromium"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >/dev/null
fi
lock=tests/WebView/package-lock.json
stamp=tests/WebView/node_modules/.installed-lock
if ! cmp -s "$lock" "$stamp" 2>/dev/null; then
  echo "[browser] npm ci (tests/WebView)"
  npm ci --prefix tests/WebView --no-audit --no-fund --loglevel=error >/dev/null
  cp "$lock" "$stamp"
fi
