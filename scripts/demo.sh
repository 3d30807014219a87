#!/usr/bin/env bash
# The main job on this machine: the runbook's hosts as a sandbox, then `coordinator deploy` and the status.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
file=$(node dist/test/sandbox/cli.js up --dir sandbox)
echo
echo "== coordinator deploy $file"
node dist/coordinator/main.js deploy "$file"
echo
echo "== coordinator status $file"
node dist/coordinator/main.js status "$file" || true
cat <<TXT

The sandbox keeps running: try
  npx coordinator deploy $file            # again: nothing changes
  npx coordinator deploy $file --dry-run
  npx coordinator exec $file -- hostname
Tear it down with:
  npm run sandbox -- down
TXT
