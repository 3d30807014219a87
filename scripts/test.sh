#!/usr/bin/env bash
# The test suite: unit and root-free tests, then the agent and end-to-end tests against real ZooKeeper, BIND,
# a registry and buildah on sandbox hosts that boot systemd. Needs root. Sets everything up first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The agent release the sandbox hosts get by `coordinator bootstrap` (skipped when nothing changed).
node scripts/release.js >/dev/null

# Whatever happens, no test sandbox outlives the run (each test file's sandbox is /tmp/zkf-sandbox-<prefix>).
cleanup() {
  for d in /tmp/zkf-sandbox-*; do
    [ -e "$d" ] || continue
    node dist/test/sandbox/cli.js down --prefix "${d##*-}" --dir "$d" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT
cleanup

suites=(dist/test/unit dist/test/local dist/test/integration dist/test/e2e)
if [ "${1:-}" = "--faults" ]; then suites=(dist/test/faults); fi
node --test --test-concurrency=1 --test-reporter=spec "${suites[@]}"
