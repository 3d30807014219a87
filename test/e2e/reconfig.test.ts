import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { AgentConnection } from '../../coordinator/fleet/agent-client';
import { certPaths, pkiPaths } from '../../shared/pki/pki';
import { loadTls } from '../../shared/pki/tls';
import { cli, withSandbox, runDeploy } from '../helpers';
import { ensembleYaml, RUNBOOK_HOSTS } from '../sandbox/sandbox';
import { ENOUGH_WRITES, startWrites, watchDown, znodes } from '../writes';

/**
 * Dynamic reconfiguration on ZooKeeper 3.8.0: turned on for a running ensemble by one roll, then 3 → 5 → 3
 * through ZooKeeper's reconfig while a client writes. No server that stays is restarted (same pids), and the
 * leader is among the servers removed: it hands over by itself.
 */
test(
  'reconfig on 3.8.0: turned on by a roll, 3 → 5 → 3 with no restart, a removed leader',
  { timeout: 1_500_000 },
  async (t) => {
    const sb = await withSandbox(t, { prefix: 'zkr', subnet: 85, hosts: RUNBOOK_HOSTS, spare: 2 });
    const file = sb.ensembleFile;
    const host = (name: string) => sb.hosts.find((h) => h.name === name)!;
    const use = (names: string[], reconfig: boolean, observer?: string) =>
      fs.writeFile(
        file,
        ensembleYaml(sb, '', (h) => names.includes(h.name))
          .replace('  extra: {}\n', `  extra: {}\n  reconfig: ${reconfig}\n`)
          .replace(new RegExp(`(name: ${observer}, .*?roles: \\[zookeeper\\]) }`), '$1, observer: true }'),
      );
    const tls = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(sb.pkiDir, 'coordinator') });
    const agents = new Map(sb.hosts.map((h) => [h.name, new AgentConnection(h.name, h.agent, tls)]));
    t.after(() => [...agents.values()].forEach((a) => a.close()));
    const status = (name: string) => agents.get(name)!.zooKeeperStatus(0, { timeoutMs: 3000 });
    const statuses = async (names: string[]) => Promise.all(names.map((n) => status(n)));
    const pids = async (names: string[]) => (await statuses(names)).map((s) => s.pid);
    const deployJson = (...args: string[]) => runDeploy(file, args, 900_000);
    const runbook = ['hdss7-11', 'hdss7-12', 'hdss7-21'];
    const grown = [...runbook, 'hdss7-31', 'hdss7-32'];
    const connect = runbook.map((n) => `${host(n).address}:2181`).join(',');

    await t.test(
      'three static servers, then reconfig turned on: one roll, the dynamic file ZooKeeper keeps',
      async () => {
        await use(runbook, false);
        const first = await deployJson();
        assert.equal(first.code, 0, first.why);
        await use(runbook, true);
        const r = await deployJson();
        assert.equal(r.code, 0, r.why);
        for (const name of runbook) {
          const report = r.result.hosts.find((h) => h.name === name)!;
          assert.ok(report.restarted, `${name} was not rolled onto reconfig`);
          const conf = path.join(host(name).root, 'opt/zookeeper/conf');
          const cfg = await fs.readFile(path.join(conf, 'zoo.cfg'), 'utf8');
          assert.match(cfg, /^reconfigEnabled=true$/m);
          assert.doesNotMatch(cfg, /^server\.\d=/m, 'the server list lives in the dynamic file');
          const s = await status(name);
          assert.equal(s.configMembers, '1,2,3');
          assert.match(s.configVersion, /^[0-9a-f]+$/);
        }
        const again = await deployJson();
        assert.equal(again.code, 0, again.why);
        assert.equal(again.result.changed, false, "a re-run finds ZooKeeper's rewrite of zoo.cfg unchanged");
        assert.match((await cli(['status', file])).stdout, /^reconfig {2}version [0-9a-f]+: 1,2,3 on every server/m);
      },
    );

    const writers: Array<Awaited<ReturnType<typeof startWrites>>> = [];
    const watchers: Array<ReturnType<typeof watchDown>> = [];

    await t.test('3 → 5 under writes: the plan, then two reconfig steps; no server that stays restarts', async () => {
      writers.push(await startWrites(t, connect, '/writes'));
      watchers.push(watchDown(t, [...agents.values()], { members: 'joined' }));
      const before = await pids(runbook);
      await use(grown, true);
      const dry = await deployJson('--dry-run');
      assert.equal(dry.code, 0, dry.why);
      assert.deepEqual(dry.result.plan, [
        'membership: hdss7-11=1 hdss7-12=2 hdss7-21=3 → hdss7-11=1 hdss7-12=2 hdss7-21=3 hdss7-31=4 hdss7-32=5 ' +
          '(2 step(s), reconfig)',
        '  1. add hdss7-31 (myid 4): 4 voters, quorum 3, tolerates 1 failure(s); no restart',
        '  2. add hdss7-32 (myid 5): 5 voters, quorum 3, tolerates 2 failure(s); no restart',
      ]);
      const r = await deployJson();
      assert.equal(r.code, 0, r.why);
      assert.deepEqual(await pids(runbook), before, 'a server that stays was restarted');
      const all = await statuses(grown);
      assert.deepEqual(all.map((s) => s.mode).sort(), ['follower', 'follower', 'follower', 'follower', 'leader']);
      for (const s of all) assert.equal(s.configMembers, '1,2,3,4,5');
      assert.equal(all.find((s) => s.mode === 'leader')!.syncedFollowers, 4);
    });

    await t.test('5 → 3 with the leader among the removed: it hands over; the others keep their pids', async () => {
      // The DNS host stays in the file: if it leads, another leader is made first by stopping and starting it.
      if ((await status('hdss7-11')).mode === 'leader') {
        for (const verb of ['stop', 'start']) assert.equal((await cli([verb, file, '--host', 'hdss7-11'])).code, 0);
      }
      const leader = grown[(await statuses(grown)).findIndex((s) => s.mode === 'leader')];
      const spare = leader === 'hdss7-31' ? 'hdss7-32' : 'hdss7-31';
      const kept = grown.filter((n) => n !== leader && n !== spare);
      const before = await pids(kept);
      await use(kept, true);
      const r = await deployJson();
      assert.equal(r.code, 0, r.why);
      assert.deepEqual(await pids(kept), before, 'a server that stays was restarted');
      const after = await statuses(kept);
      assert.deepEqual(after.map((s) => s.mode).sort(), ['follower', 'follower', 'leader']);
      for (const s of after) assert.equal(s.configMembers.split(',').length, 3);
      for (const name of [leader, spare]) {
        const s = await status(name);
        assert.equal(s.pid, 0, `${name}'s JVM is gone`);
        assert.equal(s.desired, 'removed');
        const dataParent = path.join(host(name).root, 'data/zookeeper');
        assert.ok((await fs.readdir(dataParent)).some((d) => d.startsWith('data.zkfleet-removed-')));
      }
      const tally = await writers.pop()!.stop();
      const { maxDown } = await watchers.pop()!.stop();
      assert.ok(tally.acked >= ENOUGH_WRITES, `only ${tally.acked} writes acknowledged`);
      assert.deepEqual(tally.lost, []);
      for (const name of kept) {
        const onServer = new Set(await znodes(`${host(name).address}:2181`, '/writes'));
        assert.deepEqual(
          tally.ackedNames.filter((w) => !onServer.has(w)),
          [],
          `${name} lacks acknowledged writes`,
        );
      }
      assert.ok(maxDown <= 1, `at one moment ${maxDown} servers of the ensemble were down`);
    });

    await t.test('a removed host added back as an observer, then promoted to voter: reconfig, no restart', async () => {
      const kept = (await statuses(grown)).flatMap((st, i) => (st.desired === 'removed' ? [] : [grown[i]]));
      const back = grown.find((n) => !kept.includes(n) && n.startsWith('hdss7-3'))!;
      const before = await pids(kept);
      await use([...kept, back], true, back);
      const added = await deployJson();
      assert.equal(added.code, 0, added.why);
      assert.match(added.stderr, /membership step 1 of 1: add hdss7-3\d \(myid 6, observer\)/);
      assert.equal((await status(back)).mode, 'observer');
      assert.equal((await status(back)).myid, 6, 'a host added back gets a new myid');
      const observerPid = (await status(back)).pid;
      await use([...kept, back], true);
      const promoted = await deployJson();
      assert.equal(promoted.code, 0, promoted.why);
      assert.match(promoted.stderr, /membership step 1 of 1: promote hdss7-3\d \(myid 6\) to voter/);
      assert.deepEqual(await pids([...kept, back]), [...before, observerPid], 'a server was restarted');
      const all = await statuses([...kept, back]);
      assert.deepEqual(all.map((x) => x.mode).sort(), ['follower', 'follower', 'follower', 'leader']);
      for (const x of all) assert.equal(x.configMembers, all[0].configMembers);
      assert.equal(all[0].configMembers.split(',').length, 4);
      assert.doesNotMatch(all[0].configMembers, /observer/);
    });
  },
);
