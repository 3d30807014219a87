import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO, tmpDir } from '../helpers';
import { sh } from '../sandbox/sh';

const AGENT_BIN = '/opt/zkfleet-agent/current/bin/zkfleet-agent';

test('the systemd units pass systemd-analyze verify and keep ZooKeeper alive across agent restarts', async (t) => {
  assert.ok(
    existsSync('/usr/bin/systemd-analyze'),
    'systemd-analyze is missing: scripts/setup.sh installs the systemd package',
  );
  const agent = readFileSync(path.join(REPO, 'systemd/zkfleet-agent.service'), 'utf8');
  // verify checks that the executables exist; the agent's lives on the hosts (the sandbox hosts run the
  // unit for real), so this copy points at one this machine has and checks everything else.
  const dir = tmpDir(t);
  const copy = path.join(dir, 'zkfleet-agent.service');
  writeFileSync(copy, agent.split(AGENT_BIN).join(process.execPath));
  const units = [copy, path.join(REPO, 'systemd/zkfleet-coordinator.service')];
  const r = await sh('systemd-analyze', ['verify', ...units], { allowFail: true });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.trim(), '', r.stderr);
  assert.match(agent, new RegExp(`^ExecStart=${AGENT_BIN} --config \\$\\{ZKFLEET_AGENT_CONFIG\\}$`, 'm'));
  assert.match(agent, /^KillMode=process$/m);
  assert.match(agent, /^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
  assert.match(agent, /^Restart=on-failure$/m);
  assert.match(agent, /^EnvironmentFile=-\/etc\/default\/zkfleet-agent$/m);
  assert.match(agent, /^ReadWritePaths=\/opt \/usr\/java \/data -\/var\/named \/etc\/profile.d /m);
});
