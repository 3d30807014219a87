import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentConnection } from '../../coordinator/fleet/agent-client';
import type { StatusResult } from '../../coordinator/cli/status';
import { certPaths, pkiPaths } from '../../shared/pki/pki';
import { loadTls } from '../../shared/pki/tls';
import { cli, withSandbox, runDeploy } from '../helpers';
import { ensembleYaml, RUNBOOK_HOSTS } from '../sandbox/sandbox';
import { sh } from '../sandbox/sh';
import { ENOUGH_WRITES, startWrites, watchDown } from '../writes';

test('coordinator deploy: the runbook end to end in a sandbox of real hosts', { timeout: 900_000 }, async (t) => {
  const sb = await withSandbox(t, {
    prefix: 'zkd',
    subnet: 72,
    hosts: [...RUNBOOK_HOSTS, { name: 'hdss7-22', octet: 22, roles: ['zookeeper'] }],
  });
  const file = sb.ensembleFile;
  const runbookHosts = (h: { name: string }) => h.name !== 'hdss7-22';
  await fs.writeFile(file, ensembleYaml(sb, '', runbookHosts));
  const zk = sb.hosts.filter(runbookHosts);
  const tls = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(sb.pkiDir, 'coordinator') });
  const agents = zk.map((h) => new AgentConnection(h.name, h.agent, tls));
  t.after(() => agents.forEach((a) => a.close()));
  const pids = async () =>
    Promise.all(
      zk.map(async (h) =>
        // A server stopped on purpose has no pid file: 0.
        Number(
          await fs.readFile(path.join(h.root, 'data/zookeeper/data/zookeeper_server.pid'), 'utf8').catch(() => '0'),
        ),
      ),
    );
  const deployJson = (...args: string[]) => runDeploy(file, args, 180_000);

  await t.test(
    'from bare hosts: one leader, two followers, DNS from every host, client check, DNS names in zoo.cfg',
    async () => {
      const r = await deployJson();
      assert.equal(r.code, 0, r.why);
      const modes = r.result.hosts.map((h) => h.mode).sort();
      assert.deepEqual(modes, ['follower', 'follower', 'leader']);
      assert.deepEqual(
        r.result.hosts.map((h) => [h.name, h.myid, h.dnsName]),
        [
          ['hdss7-11', 1, 'zk1.zq.com'],
          ['hdss7-12', 2, 'zk2.zq.com'],
          ['hdss7-21', 3, 'zk3.zq.com'],
        ],
      );
      assert.equal(r.result.verify?.checked.length, 3);
      assert.equal(r.result.registry, 'zookeeper://zk1.zq.com:2181?backup=zk2.zq.com:2181,zk3.zq.com:2181');
      for (const h of zk) {
        // Through each host's own resolver (its resolv.conf points at the DNS host's BIND).
        for (const [i, s] of zk.entries()) {
          const out = await sh('ip', ['netns', 'exec', h.ns, 'dig', '+short', '+time=1', `zk${i + 1}.zq.com`]);
          assert.equal(out.stdout.trim(), s.address, `${h.name} resolves zk${i + 1}.zq.com`);
        }
        const cfg = await fs.readFile(path.join(h.root, 'opt/zookeeper/conf/zoo.cfg'), 'utf8');
        assert.match(cfg, /^server\.1=zk1\.zq\.com:2888:3888$/m);
        assert.match(cfg, /^server\.3=zk3\.zq\.com:2888:3888$/m);
      }
      // Progress went to stderr, step by step.
      assert.match(r.stderr, /hdss7-12\s+install-jdk \.\.\./);
      assert.match(r.stderr, /hdss7-12\s+install-jdk changed/);
    },
  );

  await t.test('a second deploy changes nothing and restarts nothing', async () => {
    const before = await pids();
    const zoneBefore = await fs.readFile(path.join(zk[0].root, 'var/named/zq.com.zone'), 'utf8');
    const r = await deployJson();
    assert.equal(r.code, 0, r.why);
    assert.equal(r.result.changed, false);
    for (const h of r.result.hosts)
      assert.ok(
        h.steps.every((s) => !s.changed),
        `${h.name}: ${JSON.stringify(h.steps.filter((s) => s.changed))}`,
      );
    assert.deepEqual(await pids(), before);
    assert.equal(await fs.readFile(path.join(zk[0].root, 'var/named/zq.com.zone'), 'utf8'), zoneBefore);
    const text = await cli(['deploy', file]);
    assert.match(text.stdout, /no change: nothing was touched, nothing restarted/);
  });

  await t.test('--dry-run prints the plan and touches nothing; an added host keeps the existing myids', async () => {
    // The new host first in the list: order must not matter.
    const text = ensembleYaml(sb, '', (h) => h.name === 'hdss7-22').replace(/^hosts:\n/m, 'hosts:\n');
    const added = ensembleYaml(sb).replace(/(hosts:\n)([\s\S]*?)( {2}- \{ name: hdss7-22[^\n]*\n)/, '$1$3$2');
    assert.ok(text.length > 0 && added.indexOf('hdss7-22') < added.indexOf('hdss7-11'));
    await fs.writeFile(file, added);
    const before = await pids();
    const r = await deployJson('--dry-run');
    assert.equal(r.code, 0, r.why);
    const byName = Object.fromEntries(r.result.hosts.map((h) => [h.name, h]));
    assert.deepEqual(
      [byName['hdss7-11'].myid, byName['hdss7-12'].myid, byName['hdss7-21'].myid, byName['hdss7-22'].myid],
      [1, 2, 3, 4],
    );
    // Adding a server is a membership change: planned and shown, each host's part in it on its report.
    assert.match(r.result.plan![1], /^ {2}1\. add hdss7-22 \(myid 4\): 4 voters, quorum 3, tolerates 1 failure/);
    assert.ok(byName['hdss7-22'].steps.some((s) => s.step === 'install-jdk' && s.changed));
    assert.ok(
      byName['hdss7-22'].steps.some((s) => s.step === 'join' && /would start with the new list/.test(s.description)),
    );
    assert.ok(
      byName['hdss7-11'].steps.some(
        (s) => s.step === 'restart' && /would restart onto the new list/.test(s.description),
      ),
    );
    assert.deepEqual(await pids(), before);
    assert.ok(
      (await fs.readdir(path.join(sb.hosts[3].root, 'usr/java')).catch(() => [])).length === 0,
      'the new host was not touched',
    );
    assert.doesNotMatch(await fs.readFile(path.join(zk[0].root, 'opt/zookeeper/conf/zoo.cfg'), 'utf8'), /server\.4/);
    await fs.writeFile(file, ensembleYaml(sb, '', runbookHosts));
  });

  await t.test(
    'a changed tickTime rolls one server at a time while a client writes; no acked write is lost',
    async (sub) => {
      const statusBefore = await Promise.all(agents.map((a) => a.zooKeeperStatus()));
      const leaderBefore = zk[statusBefore.findIndex((s) => s.mode === 'leader')].name;
      await fs.writeFile(file, ensembleYaml(sb, '', runbookHosts).replace('tickTime: 2000', 'tickTime: 2200'));

      // "Down": no process, or not listening. While a new leader is elected the others are up but briefly not
      // serving, which ZooKeeper cannot avoid (counted separately).
      const down = watchDown(sub, agents);
      const writes = await startWrites(sub, zk.map((h) => `${h.address}:2181`).join(','), '/writes');
      const r = await deployJson();
      const tally = await writes.stop();
      const { maxDown, elections } = await down.stop();
      assert.equal(r.code, 0, r.why);
      const restarted = r.result.hosts.filter((h) => h.restarted).map((h) => h.name);
      assert.equal(restarted.length, 3);
      const rollLine = /rolling restart: (.*)/.exec(r.stderr)?.[1].split(' → ');
      assert.equal(rollLine?.at(-1), leaderBefore, 'the leader goes last');
      assert.ok(maxDown <= 1, `at one moment ${maxDown} servers were down`);
      for (const h of zk)
        assert.match(await fs.readFile(path.join(h.root, 'opt/zookeeper/conf/zoo.cfg'), 'utf8'), /^tickTime=2200$/m);
      assert.ok(
        tally.acked >= ENOUGH_WRITES,
        `only ${tally.acked} writes were acknowledged (of ${tally.attempts} attempts)`,
      );
      assert.deepEqual(tally.lost, [], `${tally.lost.length} acknowledged writes are missing`);
      t.diagnostic(
        `rolling restart: ${tally.acked} writes acknowledged of ${tally.attempts} attempts, all found; at most ${maxDown} server down; ${elections} samples saw an election; ${tally.sessions} client session(s)`,
      );
    },
  );

  await t.test(
    'the leader stopped on purpose: status shows the new leader; a deploy brings it back as follower, others untouched',
    async () => {
      const st = await Promise.all(agents.map((a) => a.zooKeeperStatus()));
      const li = st.findIndex((s) => s.mode === 'leader');
      const oldLeader = zk[li].name;
      // A stop the coordinator asks for: the agent's supervisor leaves it stopped (a kill it would undo).
      const stop = await cli(['stop', file, '--host', oldLeader]);
      assert.equal(stop.code, 0, stop.stderr);
      let status: StatusResult | undefined;
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const r = await cli(['status', file, '--json', '--live']);
        status = JSON.parse(r.stdout) as StatusResult;
        if (status.leader && status.leader !== oldLeader && status.quorum) break;
        await sleep(300);
      }
      assert.ok(status?.leader && status.leader !== oldLeader, `new leader elected (${JSON.stringify(status)})`);
      assert.equal(status!.hosts.find((h) => h.name === oldLeader)!.mode, 'down');
      const others = (await pids()).filter((_, i) => i !== li);
      const r = await deployJson();
      assert.equal(r.code, 0, r.why);
      const back = r.result.hosts.find((h) => h.name === oldLeader)!;
      assert.equal(back.mode, 'follower');
      assert.deepEqual(
        back.steps.filter((s) => s.changed).map((s) => s.step),
        ['start'],
      );
      for (const h of r.result.hosts.filter((x) => x.name !== oldLeader))
        assert.equal(h.changed, false, `${h.name} untouched`);
      assert.deepEqual(
        (await pids()).filter((_, i) => i !== li),
        others,
      );
    },
  );
});
