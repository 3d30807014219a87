#!/usr/bin/env bash
# The test suite: unit, agent integration and end-to-end tests against real ZooKeeper, BIND, registry and
# buildah in a sandbox of network namespaces. Needs root. Sets everything up first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# Whatever happens, no test sandbox outlives the run.
cleanup() { for p in zka zkd zkh zki zkx zkb; do node dist/test/sandbox/cli.js down --prefix "$p" --dir "/tmp/zkf-sandbox-$p" >/dev/null 2>&1 || true; done; }
trap cleanup EXIT
cleanup

suites=(dist/test/unit dist/test/local dist/test/integration dist/test/e2e)
if [ "${1:-}" = "--faults" ]; then suites=(dist/test/faults); fi
node --test --test-concurrency=1 --test-reporter=spec "${suites[@]}"
