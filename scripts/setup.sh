#!/usr/bin/env bash
# Everything the demo and the tests need on a fresh Debian 12 machine (run as root): Debian packages,
# npm dependencies (with the native ZooKeeper client), and the TypeScript build. Safe to repeat.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Debian packages the sandbox and the tests use, each with the file that proves it is installed
# (one list, also read by test/sandbox/prereqs.ts).
mapfile -t missing < <(node -e '
  const fs = require("fs");
  for (const p of require("./scripts/debian-packages.json")) if (!fs.existsSync(p.proof)) console.log(p.pkg);
')
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "setup: need root to apt-get install ${missing[*]}" >&2; exit 1; fi
  echo "setup: apt-get install ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ ! -f node_modules/zookeeper/build/Release/zookeeper.node ]; then
  echo "setup: npm ci (builds the native ZooKeeper client, ~30 s)" >&2
  npm ci --no-audit --no-fund
fi
# The native client's poll-handle fix (npm ci runs it as postinstall; this covers a tree installed before it).
npm run -s postinstall
npm run -s build
