#!/usr/bin/env bash
# The main job on this machine: the runbook's hosts as booted machines with only SSH, then what an operator
# types: `coordinator pki init`, `coordinator bootstrap` (the agent over SSH), `coordinator deploy`, `status`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
coordinator() { node dist/coordinator-cli.js "$@"; }
file=$(node dist/test/sandbox/cli.js up --dir sandbox --bare)
echo
echo "== coordinator pki init sandbox/pki"
coordinator pki init sandbox/pki --ip 198.18.7.1 --ip 127.0.0.1
echo
echo "== coordinator bootstrap $file"
coordinator bootstrap "$file" --ssh-config sandbox/ssh/config
echo
echo "== coordinator deploy $file"
coordinator deploy "$file"
echo
echo "== coordinator status $file"
coordinator status "$file" || true
cat <<TXT

The sandbox keeps running: try
  npm link                                 # once: puts \`coordinator\` on the PATH
  coordinator deploy $file            # again: nothing changes
  coordinator deploy $file --dry-run
  coordinator exec $file -- hostname
  coordinator bootstrap $file --ssh-config sandbox/ssh/config   # again: nothing changes
Tear it down with:
  npm run sandbox -- down
TXT
