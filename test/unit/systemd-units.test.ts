import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { renderZkUnit } from '../../agent/zookeeper/systemd';
import type { ZooKeeperState } from '../../agent/daemon/state';
import { run } from '../../agent/daemon/run';
import { DIRECTIVE_SINCE, systemdVersionOf, unitForSystemd } from '../../shared/systemd-units';
import { tmpDir } from '../helpers';

const REPO = path.resolve(__dirname, '../../..');
const agentUnit = () => fs.readFile(path.join(REPO, 'systemd/zkfleet-agent.service'), 'utf8');
const directives = (unit: string) =>
  unit
    .split('\n')
    .map((l) => /^([A-Za-z]+)=/.exec(l)?.[1])
    .filter((k): k is string => !!k);

// What each of these versions knows, written out from systemd's NEWS on its own (not read from the module's table).
const UNKNOWN_TO: Record<number, string[]> = {
  219: [
    'ReadWritePaths',
    'RestrictRealtime',
    'ProtectKernelTunables',
    'ProtectKernelModules',
    'StateDirectory',
    'StateDirectoryMode',
    'LockPersonality',
    'ProtectHostname',
    'RestrictSUIDSGID',
    'ProtectKernelLogs',
    'ProtectClock',
  ],
  239: ['ProtectHostname', 'RestrictSUIDSGID', 'ProtectKernelLogs', 'ProtectClock'],
  252: [],
};

test('the agent unit for systemd 219, 239 and 252 holds only directives each knows; the sandbox is rebuilt from them', async () => {
  const text = await agentUnit();
  for (const [version, unknown] of Object.entries(UNKNOWN_TO)) {
    const unit = unitForSystemd(text, Number(version));
    const used = directives(unit);
    assert.deepEqual(
      used.filter((d) => unknown.includes(d)),
      [],
      `systemd ${version}`,
    );
    for (const d of used) assert.ok((DIRECTIVE_SINCE[d] ?? 0) <= Number(version), `${d} on ${version}`);
    // Every line the agent needs to run stays: its command, its restart, its kill mode, its writable paths.
    for (const must of ['ExecStart', 'ExecStartPre', 'Restart', 'KillMode', 'ProtectSystem', 'ProtectHome']) {
      assert.ok(used.includes(must), `${must} missing for systemd ${version}`);
    }
  }
  const old = unitForSystemd(text, 219);
  assert.match(old, /^ProtectSystem=full$/m);
  assert.match(old, /^ReadWriteDirectories=\/usr\/java \/etc\/profile\.d \/etc\/systemd\/system$/m);
  const mid = unitForSystemd(text, 239);
  assert.match(mid, /^ProtectSystem=strict$/m);
  assert.match(mid, /^ReadWritePaths=\/opt \/usr\/java \/data /m);
  assert.match(mid, /^LockPersonality=yes$/m);
  assert.equal(unitForSystemd(text, 252), text, 'a current systemd gets the unit as shipped');
});

test("the ZooKeeper unit uses nothing newer than 219, and this machine's systemd reads both units without a warning", async (t) => {
  const zk = {
    user: 'zookeeper',
    jdkHome: '/usr/java/jdk',
    logDir: '/var/log/zookeeper',
    dataDir: '/data/zookeeper/data',
    home: '/opt/zookeeper',
    cfgFile: '/opt/zookeeper/conf/zoo.cfg',
  } as ZooKeeperState;
  const unit = renderZkUnit(zk);
  for (const v of [219, 239, 252]) assert.equal(unitForSystemd(unit, v), unit, `systemd ${v}`);
  assert.match(unit, /^StartLimitInterval=0$/m);
  const version = systemdVersionOf((await run('systemctl', ['--version'])).stdout);
  assert.ok(version >= 219, `systemctl --version: ${version}`);
  const dir = tmpDir(t);
  const files = {
    'zookeeper.service': unit,
    'zkfleet-agent.service': unitForSystemd(await agentUnit(), version),
  };
  for (const [name, text] of Object.entries(files)) {
    await fs.writeFile(path.join(dir, name), text);
    const r = await run('systemd-analyze', ['verify', path.join(dir, name)]).catch((err: { stderr: string }) => err);
    // Commands that are not installed on this machine are fine; an unknown or misplaced key is not.
    assert.doesNotMatch(r.stderr, /Unknown key|Unknown section|ignoring/, `${name} on systemd ${version}`);
  }
});

test('the systemd version is read from systemctl --version', () => {
  assert.equal(systemdVersionOf('systemd 219\n+PAM +AUDIT +SELINUX'), 219);
  assert.equal(systemdVersionOf('systemd 252 (252.39-1~deb12u2)\n+PAM'), 252);
  assert.equal(systemdVersionOf('bash: systemctl: command not found'), 0);
});
