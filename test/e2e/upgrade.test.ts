import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentConnection } from '../../coordinator/fleet/agent-client';
import type { DeployResult } from '../../coordinator/deploy';
import type { StatusResult } from '../../coordinator/zookeeper/status';
import { certPaths, pkiPaths } from '../../shared/pki/pki';
import { loadTls } from '../../shared/pki/tls';
import { background, cli, withSandbox, runDeploy } from '../helpers';
import {
  brokenZookeeperTarball,
  jdk11Tarball,
  jdkTarball,
  zookeeper34Tarball,
  zookeeperTarball,
  type Artifact,
} from '../sandbox/artifacts';
import { agentLog, ensembleYaml, onHost, RUNBOOK_HOSTS } from '../sandbox/sandbox';
import { ENOUGH_WRITES, startWrites, watchDown, withZk, znodes } from '../writes';

/**
 * Day 2 on real hosts: 3.4.13 on JDK 11 with data, upgraded in place to 3.8.0 while a client writes (two
 * deploys started together: one rolls), rolled back, upgraded again with the JDK; a tarball that cannot
 * start rolled back on the first server; a coordinator suspended past its lease.
 */
test('upgrades, rollback and one deploy at a time on real hosts', { timeout: 1_800_000 }, async (t) => {
  const sb = await withSandbox(t, { prefix: 'zku', subnet: 79, hosts: RUNBOOK_HOSTS });
  const file = sb.ensembleFile;
  const [zk34, zk38, zkBroken, jdk11, jdk17] = await Promise.all([
    zookeeper34Tarball(),
    zookeeperTarball(),
    brokenZookeeperTarball(),
    jdk11Tarball(),
    jdkTarball(),
  ]);
  // A short lease: the suspended coordinator's expires within the test.
  const use = (zookeeper: Artifact, jdk: Artifact) =>
    fs.writeFile(file, ensembleYaml(sb, 'timeouts: { leaseMs: 6000 }\n', undefined, { zookeeper, jdk }));
  const tls = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(sb.pkiDir, 'coordinator') });
  const agents = sb.hosts.map((h) => new AgentConnection(h.name, h.agent, tls));
  t.after(() => agents.forEach((a) => a.close()));
  const connect = sb.hosts.map((h) => `${h.address}:2181`).join(',');
  const statuses = () => Promise.all(agents.map((a) => a.zooKeeperStatus()));
  const deployJson = (...args: string[]) => runDeploy(file, args, 600_000);
  const versions = async () => (await statuses()).map((s) => `${s.version.split('-')[0]}@${s.jdkRunning}`);
  const before: string[] = [];

  await t.test('the runbook generation: ZooKeeper 3.4.13 on JDK 11, with data', async () => {
    await use(zk34, jdk11);
    const r = await deployJson();
    assert.equal(r.code, 0, r.why);
    assert.deepEqual(await versions(), ['3.4.13@11.0.24', '3.4.13@11.0.24', '3.4.13@11.0.24']);
    await withZk(connect, async (client) => {
      await client.create('/before', '', 0);
      for (let i = 0; i < 100; i++) before.push((await client.create(`/before/n${i}`, `v${i}`, 0)).split('/').pop()!);
    });
  });

  await t.test(
    'two deploys started together upgrade to 3.8.0 under writes: one rolls, one refuses naming it',
    async (sub) => {
      await use(zk38, jdk11);
      const writes = await startWrites(sub, connect, '/writes');
      const down = watchDown(sub, agents);
      const [a, b] = await Promise.all([deployJson(), deployJson()]);
      const tally = await writes.stop();
      const { maxDown, elections } = await down.stop();
      const [won, lost] = a.code === 0 ? [a, b] : [b, a];
      assert.equal(won.code, 0, won.stderr);
      assert.equal(lost.code, 75, lost.stderr);
      assert.equal(lost.result.error?.code, 'LOCKED');
      assert.match(lost.result.error!.message, /held by \S+@\S+ \(pid \d+, deploy since \S+\)/);
      assert.equal(won.result.hosts.filter((h) => h.restarted).length, 3);
      assert.ok(!lost.result.hosts.some((h) => h.steps.some((s) => s.changed)), 'the refused deploy changed nothing');
      assert.ok(maxDown <= 1, `at one moment ${maxDown} servers were down`);
      assert.deepEqual(await versions(), ['3.8.0@11.0.24', '3.8.0@11.0.24', '3.8.0@11.0.24']);
      assert.deepEqual(tally.lost, [], `${tally.lost.length} acknowledged writes are missing`);
      assert.ok(tally.acked >= ENOUGH_WRITES, `only ${tally.acked} writes acknowledged`);
      assert.deepEqual(await znodes(connect, '/before'), [...before].sort());
      const st = JSON.parse((await cli(['status', file, '--json', '--live'])).stdout) as StatusResult;
      for (const h of st.hosts) {
        assert.deepEqual(h.zookeeper, { installed: '3.8.0', running: '3.8.0', staged: '', previous: '3.4.13' });
        assert.equal(h.restartPending, undefined);
      }
      t.diagnostic(
        `3.4.13 → 3.8.0: ${tally.acked} writes acked, none lost; max ${maxDown} down; ${elections} election samples; ` +
          `${tally.sessions} client session(s)`,
      );
    },
  );

  await t.test('an older minor version is refused before any host is touched', async () => {
    await use(zk34, jdk11);
    const r = await deployJson();
    assert.equal(r.result.error?.code, 'DOWNGRADE', r.stdout);
    assert.equal(r.code, 1);
    assert.match(r.result.error!.message, /hdss7-11: ZooKeeper 3\.8\.0 → 3\.4\.13/);
    assert.ok(!r.result.hosts.some((h) => h.steps.some((s) => s.changed)));
  });

  await t.test('coordinator rollback returns the ensemble to 3.4.13 under writes', async (sub) => {
    const writes = await startWrites(sub, connect, '/rollback');
    const down = watchDown(sub, agents);
    const r = await cli(['rollback', file, '--json'], { timeoutMs: 600_000 });
    const tally = await writes.stop();
    const { maxDown } = await down.stop();
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as DeployResult).hosts.filter((h) => h.restarted).length, 3);
    assert.deepEqual(await versions(), ['3.4.13@11.0.24', '3.4.13@11.0.24', '3.4.13@11.0.24']);
    assert.ok(maxDown <= 1, `at one moment ${maxDown} servers were down`);
    assert.deepEqual(tally.lost, []);
    assert.ok(tally.acked >= ENOUGH_WRITES, `only ${tally.acked} writes acknowledged`);
    assert.deepEqual(await znodes(connect, '/before'), [...before].sort());
  });

  await t.test('ZooKeeper 3.8.0 and JDK 17 together: every JVM runs from the new JDK tree', async () => {
    await use(zk38, jdk17);
    const r = await deployJson();
    assert.equal(r.code, 0, r.why);
    // The kept 3.8.0 tree is used again, not unpacked a second time.
    assert.match(r.stderr, /kept tree|staged as zookeeper-3\.8\.0 /);
    const st = await statuses();
    for (const [i, h] of sb.hosts.entries()) {
      const exe = (await onHost(h, ['readlink', `/proc/${st[i].pid}/exe`])).stdout.trim();
      assert.match(exe, /^\/usr\/java\/jdk-17\/bin\/java$/, `${h.name} runs ${exe}`);
    }
    for (const v of await versions()) assert.match(v, /^3\.8\.0@17\./);
  });

  await t.test('a ZooKeeper that cannot start: the first server goes back, the others are untouched', async () => {
    await use(zkBroken, jdk17);
    const pidsBefore = (await statuses()).map((s) => s.pid);
    const r = await deployJson();
    assert.equal(r.result.error?.code, 'UPGRADE_FAILED', r.stdout);
    assert.equal(r.code, 1);
    t.diagnostic(r.result.error!.message);
    const first = r.result.error!.details as { host: string };
    assert.match(r.result.error!.message, new RegExp(`upgrade stopped at ${first.host}: .*3\\.8\\.1`));
    assert.match(r.result.error!.message, /log tail/);
    // The progress shows the failed step whole: the server's own words, each line marked with host and step.
    assert.match(r.stderr, new RegExp(`${first.host} +\\S+ \\| .*Could not find or load main class`), r.why);
    assert.match(r.result.error!.message, /moved back to ZooKeeper 3\.8\.0 .* serves again; no other server/);
    const st = await statuses();
    const i = sb.hosts.findIndex((h) => h.name === first.host);
    assert.ok(['leader', 'follower'].includes(st[i].mode), `${first.host} serves (${st[i].mode})`);
    assert.equal(st[i].version.split('-')[0], '3.8.0');
    for (const [j, s] of st.entries()) {
      if (j === i) continue;
      assert.equal(s.pid, pidsBefore[j], `${sb.hosts[j].name} was never restarted`);
      assert.equal(s.zookeeperStaged, '3.8.1', `${sb.hosts[j].name} still has 3.8.1 staged`);
      assert.ok(s.restartPending.some((p) => /ZooKeeper tree/.test(p)));
    }
  });

  await t.test(
    'a coordinator suspended past its lease: the next deploy proceeds; woken, it restarts nothing',
    async (sub) => {
      await use(zk38, jdk17);
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('tickTime: 2000', 'tickTime: 2200'));
      const suspended = background(sub, ['deploy', file]);
      await suspended.until(/restart changed/);
      suspended.child.kill('SIGSTOP');
      const held = await deployJson();
      assert.equal(held.code, 75, 'refused while the lease is live');
      await sleep(7000);
      const r = await deployJson();
      assert.equal(r.code, 0, r.why);
      suspended.child.kill('SIGCONT');
      assert.equal(await suspended.exited, 75, `the woken coordinator stops: ${suspended.stderr().slice(-2000)}`);
      assert.match(suspended.stderr(), /lease was lost/);
      assert.deepEqual((await statuses()).map((s) => s.mode).sort(), ['follower', 'follower', 'leader']);
    },
  );

  await t.test('--break-lock takes a live lease, says whose, and the agents audit it', async (sub) => {
    const holder = background(sub, ['deploy', file]);
    // Stopped as soon as it holds the lease: a live holder (a dead one of this machine is taken over anyway).
    await holder.until(/deploy lease held/);
    holder.child.kill('SIGSTOP');
    const r = await cli(['deploy', file, '--break-lock']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`broke the lease of \\S+ \\(pid ${holder.child.pid}, deploy since`));
    assert.match(await agentLog(sb.hosts[0]), /deploy lease broken.*"audit":true|"audit":true.*deploy lease broken/);
  });
});
