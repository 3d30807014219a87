import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { readState } from '../../coordinator/ensemble/state';
import { AgentConnection } from '../../coordinator/fleet/agent-client';
import { certPaths, pkiPaths } from '../../shared/pki/pki';
import { loadTls } from '../../shared/pki/tls';
import { cli, withSandbox, runDeploy } from '../helpers';
import { zookeeper34Tarball } from '../sandbox/artifacts';
import { ensembleYaml, powerHost, RUNBOOK_HOSTS, type SandboxHostState } from '../sandbox/sandbox';
import { sh } from '../sandbox/sh';
import { ENOUGH_WRITES, startWrites, watchDown, znodes } from '../writes';

/**
 * The file is the membership, on ZooKeeper 3.4.13 (static membership): 3 → 5 → 3 while a client writes, a
 * dead host replaced by a spare, and the changes refused before anything is touched.
 */
test('membership changes on real hosts: grow, shrink, replace, refuse', { timeout: 1_800_000 }, async (t) => {
  const sb = await withSandbox(t, { prefix: 'zkm', subnet: 82, hosts: RUNBOOK_HOSTS, spare: 3 });
  const zk34 = await zookeeper34Tarball();
  const file = sb.ensembleFile;
  const host = (name: string) => sb.hosts.find((h) => h.name === name)!;
  const use = (names: string[]) =>
    fs.writeFile(
      file,
      ensembleYaml(sb, '', (h) => names.includes(h.name), { zookeeper: zk34 }),
    );
  const tls = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(sb.pkiDir, 'coordinator') });
  const agents = new Map(sb.hosts.map((h) => [h.name, new AgentConnection(h.name, h.agent, tls)]));
  t.after(() => [...agents.values()].forEach((a) => a.close()));
  const status = (name: string) => agents.get(name)!.zooKeeperStatus(0, { timeoutMs: 3000 });
  const modes = async (names: string[]) => Promise.all(names.map(async (n) => (await status(n)).mode));
  const deployJson = (...args: string[]) => runDeploy(file, args, 900_000);
  const dig = async (h: SandboxHostState, name: string) =>
    (await sh('ip', ['netns', 'exec', h.ns, 'dig', '+short', '+time=1', name])).stdout.trim();
  const cfgs = () =>
    Promise.all(
      RUNBOOK_HOSTS.map((h) => fs.readFile(path.join(host(h.name).root, 'opt/zookeeper/conf/zoo.cfg'), 'utf8')),
    );
  const runbook = ['hdss7-11', 'hdss7-12', 'hdss7-21'];
  const connect = runbook.map((n) => `${host(n).address}:2181`).join(',');
  const stateDir = path.join(path.dirname(file), '.zkfleet/dubbo-zk');

  await t.test('three servers of 3.4.13', async () => {
    await use(runbook);
    const r = await deployJson();
    assert.equal(r.code, 0, r.why);
    assert.deepEqual((await modes(runbook)).sort(), ['follower', 'follower', 'leader']);
    assert.deepEqual(
      (await readState(stateDir)).members?.map((m) => `${m.name}=${m.myid}`),
      ['hdss7-11=1', 'hdss7-12=2', 'hdss7-21=3'],
    );
  });

  const grown = [...runbook, 'hdss7-31', 'hdss7-32'];
  const writers: Array<Awaited<ReturnType<typeof startWrites>>> = [];
  const watchers: Array<ReturnType<typeof watchDown>> = [];

  await t.test('3 → 5 under writes: the plan first, then two steps of one new voter each', async (sub) => {
    writers.push(await startWrites(t, connect, '/writes'));
    watchers.push(watchDown(t, [...agents.values()], { members: 'joined' }));
    await use(grown);
    const dry = await deployJson('--dry-run');
    assert.equal(dry.code, 0, dry.why);
    assert.deepEqual(dry.result.plan, [
      'membership: hdss7-11=1 hdss7-12=2 hdss7-21=3 → hdss7-11=1 hdss7-12=2 hdss7-21=3 hdss7-31=4 hdss7-32=5 ' +
        '(2 step(s), static: one voter per step)',
      '  1. add hdss7-31 (myid 4): 4 voters, quorum 3, tolerates 1 failure(s); restarts hdss7-11, hdss7-12, ' +
        'hdss7-21 (the leader last)',
      '  2. add hdss7-32 (myid 5): 5 voters, quorum 3, tolerates 2 failure(s); restarts hdss7-11, hdss7-12, ' +
        'hdss7-21, hdss7-31 (the leader last)',
    ]);
    assert.equal((await status('hdss7-31')).pid, 0, 'the dry run started nothing');
    const r = await deployJson();
    assert.equal(r.code, 0, r.why);
    assert.match(r.stderr, /membership step 1 of 2: add hdss7-31 \(myid 4\)/);
    assert.match(r.stderr, /membership step 2 of 2: add hdss7-32 \(myid 5\)/);
    const all = await modes(grown);
    assert.deepEqual([...all].sort(), ['follower', 'follower', 'follower', 'follower', 'leader'], all.join(' '));
    const leader = grown[all.indexOf('leader')];
    assert.match(
      (await cli(['status', file])).stdout,
      /quorum yes, leader hdss7-\d+, tolerates 2 more failures, 5 voters/,
    );
    assert.equal((await status(leader)).syncedFollowers, 4);
    assert.equal(await dig(host('hdss7-11'), 'zk5.zq.com'), host('hdss7-32').address);
    const cfg = await fs.readFile(path.join(host('hdss7-11').root, 'opt/zookeeper/conf/zoo.cfg'), 'utf8');
    assert.match(cfg, /^server\.5=zk5\.zq\.com:2888:3888$/m);
    sub.diagnostic(`writes so far: ${(await znodes(connect, '/writes')).length}`);
  });

  await t.test('5 → 3: each spare removed in its own step; stopped for good, data aside, DNS gone', async () => {
    await use(runbook);
    const r = await deployJson();
    assert.equal(r.code, 0, r.why);
    for (const [name, myid] of [
      ['hdss7-31', 4],
      ['hdss7-32', 5],
    ] as const) {
      const s = await status(name);
      assert.equal(s.pid, 0, `${name}'s JVM is gone`);
      assert.equal(s.desired, 'removed');
      const dataParent = path.join(host(name).root, 'data/zookeeper');
      const kept = (await fs.readdir(dataParent)).filter((d) => d.startsWith('data.zkfleet-removed-'));
      assert.equal(kept.length, 1, `${name}: ${(await fs.readdir(dataParent)).join(' ')}`);
      assert.equal(await fs.readFile(path.join(dataParent, kept[0], 'myid'), 'utf8'), `${myid}\n`);
      assert.equal(await dig(host('hdss7-11'), `zk${myid}.zq.com`), '', `zk${myid} still resolves`);
      assert.ok(r.result.hosts.find((h) => h.name === name)?.steps.some((st) => st.step === 'remove' && st.changed));
    }
    assert.deepEqual((await modes(runbook)).sort(), ['follower', 'follower', 'leader']);
    for (const cfg of await cfgs()) assert.doesNotMatch(cfg, /^server\.[45]=/m);
    const tally = await writers.pop()!.stop();
    const { maxDown } = await watchers.pop()!.stop();
    assert.ok(tally.acked >= ENOUGH_WRITES, `only ${tally.acked} writes acknowledged`);
    assert.deepEqual(tally.lost, []);
    for (const name of runbook) {
      const onServer = new Set(await znodes(`${host(name).address}:2181`, '/writes'));
      const missing = tally.ackedNames.filter((w) => !onServer.has(w));
      assert.deepEqual(missing, [], `${name} lacks acknowledged writes`);
    }
    assert.ok(maxDown <= 1, `at one moment ${maxDown} servers of the ensemble were down`);
  });

  await t.test('refused before anything is touched: two of three at once; a removal with a voter down', async () => {
    const before = await cfgs();
    await use(['hdss7-11']);
    const two = await deployJson();
    assert.equal(two.code, 1, two.why);
    assert.equal(two.result.error?.code, 'MEMBERSHIP_REFUSED');
    assert.match(two.result.error!.message, /removing hdss7-12, hdss7-21 at once takes away 2 of 3 voters/);
    assert.deepEqual(await cfgs(), before);
    await use(runbook);
    const stop = await cli(['stop', file, '--host', 'hdss7-12']);
    assert.equal(stop.code, 0, stop.stderr);
    await use(['hdss7-11', 'hdss7-12']);
    const down = await deployJson();
    assert.equal(down.code, 1, down.why);
    assert.equal(down.result.error?.code, 'MEMBERSHIP_REFUSED');
    assert.match(
      down.result.error!.message,
      /remove hdss7-21 \(myid 3\): (stopping|restarting) hdss7-\d+ leaves 1 of the 3/,
    );
    assert.match(down.result.error!.message, /bring hdss7-12 back first/);
    assert.deepEqual(await cfgs(), before);
    assert.equal((await status('hdss7-21')).desired, 'running');
    await use(runbook);
    const start = await cli(['start', file, '--host', 'hdss7-12']);
    assert.equal(start.code, 0, start.stderr);
  });

  await t.test('a dead host replaced by a spare; powered on again, its server stays stopped', async () => {
    const replaced = ['hdss7-11', 'hdss7-33', 'hdss7-21'];
    const writes = await startWrites(t, connect, '/replace');
    await powerHost(sb.dir, 'hdss7-12', false);
    await use(replaced);
    const refused = await deployJson();
    assert.equal(refused.result.error?.code, 'MEMBERSHIP_REFUSED', refused.why);
    assert.match(refused.result.error!.message, /replace hdss7-12 \(myid 2\) by hdss7-33 \(myid 6\)/);
    assert.match(refused.result.error!.message, /bring hdss7-12 back first.*--allow-outage/);
    const r = await deployJson('--allow-outage');
    assert.equal(r.code, 0, r.why);
    assert.deepEqual((await modes(replaced)).sort(), ['follower', 'follower', 'leader']);
    assert.equal((await status('hdss7-33')).myid, 6);
    assert.deepEqual(
      (await readState(stateDir)).fence?.map((m) => m.name),
      ['hdss7-12'],
      'hdss7-12 is to be told at the next contact',
    );
    const tally = await writes.stop();
    assert.deepEqual(tally.lost, []);

    await powerHost(sb.dir, 'hdss7-12', true);
    // Its agent starts at boot and would start the server it last ran: its own name is gone from DNS.
    for (let i = 0; i < 30; i++) {
      const s = await status('hdss7-12').catch(() => undefined);
      if (s) assert.equal(s.pid, 0, 'the removed server came back up with its old list');
      await sleep(500);
    }
    const s = await status('hdss7-12');
    assert.match(s.lastExit, /zk2\.zq\.com, this server's name in zoo\.cfg, does not exist in DNS/);
    const shown = await cli(['status', file]);
    assert.match(shown.stdout, /, 3 voters /);
    assert.match(shown.stdout, /membership {2}hdss7-12 \(myid 2\) was removed while its host was unreachable/);
    const again = await deployJson();
    assert.equal(again.code, 0, again.why);
    assert.equal((await status('hdss7-12')).desired, 'removed');
    assert.equal((await readState(stateDir)).fence, undefined);
    const kept = await fs.readdir(path.join(host('hdss7-12').root, 'data/zookeeper'));
    assert.ok(
      kept.some((d) => d.startsWith('data.zkfleet-removed-')),
      kept.join(' '),
    );
  });
});
