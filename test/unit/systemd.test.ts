import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers';
import { sh } from '../sandbox/sh';

test('the systemd units pass systemd-analyze verify and keep ZooKeeper alive across agent restarts', async () => {
  assert.ok(
    existsSync('/usr/bin/systemd-analyze'),
    'systemd-analyze is missing: scripts/setup.sh installs the systemd package',
  );
  const units = ['zkfleet-agent.service', 'zkfleet-coordinator.service'].map((u) => path.join(REPO, 'systemd', u));
  const r = await sh('systemd-analyze', ['verify', ...units], { allowFail: true });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.trim(), '', r.stderr);
  const agent = readFileSync(units[0], 'utf8');
  assert.match(agent, /^KillMode=process$/m);
  assert.match(agent, /^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
  assert.match(agent, /^Restart=on-failure$/m);
  assert.match(agent, /^EnvironmentFile=-\/etc\/default\/zkfleet-agent$/m);
  assert.match(agent, /^ReadWritePaths=\/opt \/usr\/java \/data \/var\/named \/etc\/profile.d /m);
});
