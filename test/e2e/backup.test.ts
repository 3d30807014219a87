import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentConnection } from '../../coordinator/fleet/agent-client';
import type { BackupEntry } from '../../coordinator/backup/store';
import type { BackupResult } from '../../coordinator/backup/take';
import type { DeployResult } from '../../coordinator/deploy';
import { createRetried, retriedOnConnectionLoss, type ZkClient } from '../../coordinator/zookeeper/client';
import { certPaths, pkiPaths } from '../../shared/pki/pki';
import { loadTls } from '../../shared/pki/tls';
import { cli, COORDINATOR, tmpDir, withSandbox } from '../helpers';
import { ensembleYaml, RUNBOOK_HOSTS } from '../sandbox/sandbox';
import { startWrites, withZk } from '../writes';

type Zk = ZkClient & { get_children(p: string, w: boolean): Promise<string[]> };
const READ = 1;

/**
 * Backups and restore on real hosts: 1,000 znodes (with data, nested, some with ACLs) backed up while a
 * client writes, every dataDir destroyed, restored; refusals that touch nothing; a backup during a roll;
 * the schedule of `coordinator serve`.
 */
test('backups and restore of the ensemble on real hosts', { timeout: 1_200_000 }, async (t) => {
  const sb = await withSandbox(t, { prefix: 'zkk', subnet: 81, hosts: RUNBOOK_HOSTS });
  const file = sb.ensembleFile;
  await fs.writeFile(file, ensembleYaml(sb));
  const connect = sb.hosts.map((h) => `${h.address}:2181`).join(',');
  const tls = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(sb.pkiDir, 'coordinator') });
  const agents = sb.hosts.map((h) => new AgentConnection(h.name, h.agent, tls));
  t.after(() => agents.forEach((a) => a.close()));
  const pids = async () => (await Promise.all(agents.map((a) => a.zooKeeperStatus()))).map((s) => s.pid);
  const json = async <T>(args: string[]) => {
    const r = await cli([...args, '--json'], { timeoutMs: 300_000 });
    return { ...r, result: JSON.parse(r.stdout) as T };
  };
  const dataDirs = (h: (typeof sb.hosts)[number]) =>
    ['data/zookeeper/data', 'data/zookeeper/logs'].map((d) => path.join(h.root, d));
  const asides = () =>
    sb.hosts.flatMap((h) =>
      readdirSync(path.join(h.root, 'data/zookeeper')).filter((n) => n.includes('.zkfleet-aside-')),
    );
  const withClient = <T>(fn: (c: Zk) => Promise<T>) =>
    withZk(connect, async (c) => {
      await c.sync('/');
      return fn(c as Zk);
    });

  const d = await cli(['deploy', file]);
  assert.equal(d.code, 0, d.stderr);
  await withClient(async (c) => {
    // As an application's client would: a call that a lost connection interrupted is made again (a CI run's
    // seeding once failed on one "-7 operation timeout" right after the deploy).
    const deadline = Date.now() + 120_000;
    const create = (p: string, data: string) => createRetried(c, p, data, 0, deadline);
    await create('/registry', '');
    for (let i = 0; i < 400; i++) await create(`/registry/p${i}`, `provider-${i}`);
    for (let i = 0; i < 300; i++) {
      await create(`/registry/n${i}`, '');
      await create(`/registry/n${i}/child`, `route-${i}`);
    }
    for (let i = 0; i < 400; i += 50) {
      const acl = [{ perms: READ, scheme: 'world', auth: 'anyone' }];
      await retriedOnConnectionLoss(deadline, undefined, () => c.set_acl(`/registry/p${i}`, -1, acl));
    }
  });
  let backup: BackupResult;

  await t.test(
    'a backup while a client writes: from a follower, every file checked, parsed by ZooKeeper',
    async (sub) => {
      const writes = await startWrites(sub, connect, '/writes');
      await sleep(500);
      await withClient((c) => c.create('/before-backup', 'x', 0));
      const created = await withClient(
        async (c) => (await c.get('/before-backup', false))[0] as { czxid: number | string },
      );
      const r = await json<BackupResult & { ok: boolean }>(['backup', file]);
      const tally = await writes.stop();
      assert.equal(r.code, 0, r.stderr);
      backup = r.result;
      const m = backup.manifest;
      const statuses = await Promise.all(agents.map((a) => a.zooKeeperStatus()));
      const leader = sb.hosts[statuses.findIndex((s) => s.mode === 'leader')].name;
      assert.notEqual(m.source.host, leader, 'never from the leader');
      assert.equal(m.zookeeperVersion, '3.8.0');
      // The snapshot may be older than the znodes (ZooKeeper snapshots every snapCount transactions): the logs
      // after it carry them, and the last zxid the tools read covers the marker written before the backup.
      assert.ok(m.verified.nodeCount >= 1, `${m.verified.nodeCount} znodes in the snapshot`);
      assert.ok(BigInt(m.lastZxid) >= BigInt(created.czxid), `${m.lastZxid} covers ${created.czxid}`);
      assert.match(m.verified.tool, /SnapshotFormatter/);
      assert.equal(m.files[0].kind, 'snapshot');
      assert.ok(m.files.some((f) => f.kind === 'log'));
      assert.match(backup.name, /^dubbo-zk-\d{8}T\d{6}Z-0x[0-9a-f]+$/);
      assert.deepEqual(tally.lost, []);
      const list = await json<BackupEntry[]>(['backups', file]);
      assert.deepEqual(
        list.result.map((b) => [b.name, b.verified]),
        [[backup.name, true]],
      );
    },
  );

  await t.test('restore without --yes and without a terminal: the plan, exit 1, nothing changed', async () => {
    const before = await pids();
    const r = await cli(['restore', file, '--from', backup.name]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /1\. stop every server: hdss7-11, hdss7-12, hdss7-21/);
    assert.match(r.stderr, /nothing was done; run again with --yes/);
    assert.deepEqual(await pids(), before);
    assert.deepEqual(asides(), []);
  });

  await t.test('a damaged backup is refused, naming the file; no host is touched', async () => {
    const copy = path.join(tmpDir(t), backup.name);
    await fs.cp(backup.path, copy, { recursive: true });
    const snap = path.join(copy, backup.manifest.files[0].name);
    const bytes = await fs.readFile(snap);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    await fs.writeFile(snap, bytes);
    const before = await pids();
    const r = await json<{ error: { code: string; message: string } }>(['restore', file, '--from', copy, '--yes']);
    assert.equal(r.code, 1);
    assert.equal(r.result.error.code, 'DIGEST_MISMATCH');
    assert.match(r.result.error.message, new RegExp(`${snap.replace(/[.]/g, '\\.')} is damaged`));
    assert.deepEqual(await pids(), before);
    assert.deepEqual(asides(), []);
  });

  await t.test(
    'every dataDir and dataLogDir destroyed: the restore brings back every znode, data and ACLs',
    async () => {
      const stop = await cli(['stop', file, ...sb.hosts.flatMap((h) => ['--host', h.name]), '--force']);
      assert.equal(stop.code, 0, stop.stderr);
      for (const h of sb.hosts) for (const d of dataDirs(h)) await fs.rm(d, { recursive: true, force: true });
      const r = await json<DeployResult>(['restore', file, '--from', backup.name, '--yes']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.result.hosts.map((h) => h.mode).sort(), ['follower', 'follower', 'leader']);
      assert.equal(r.result.verify?.checked.length, 3, 'the client check passed');
      await withClient(async (c) => {
        const kids = new Set(await c.get_children('/registry', false));
        assert.equal(kids.size, 700);
        for (let i = 0; i < 400; i++) assert.equal(String((await c.get(`/registry/p${i}`, false))[1]), `provider-${i}`);
        for (let i = 0; i < 300; i++)
          assert.equal(String((await c.get(`/registry/n${i}/child`, false))[1]), `route-${i}`);
        const [acl] = await c.get_acl('/registry/p50');
        assert.deepEqual(
          acl.map((a) => [a.perms, a.scheme, a.auth]),
          [[READ, 'world', 'anyone']],
        );
        assert.ok(await c.pathExists('/before-backup', false));
      });
      assert.deepEqual(asides(), [], 'nothing to move aside: the data was gone');
    },
  );

  await t.test(
    'over a running ensemble with newer data: the plan warns; the data it replaces is kept aside',
    async () => {
      await withClient((c) => c.create('/after-backup', 'x', 0));
      const r = await json<DeployResult>(['restore', file, '--from', backup.name, '--yes']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.result.plan!.join('\n'), /WARNING: the ensemble holds newer data/);
      await withClient(async (c) => {
        assert.equal(await c.pathExists('/after-backup', false), false);
        assert.ok(await c.pathExists('/before-backup', false));
      });
      const aside = asides();
      assert.equal(aside.length, 6, `data and logs of three hosts moved aside: ${aside.join(' ')}`);
      for (const h of sb.hosts) {
        const kept = readdirSync(path.join(h.root, 'data/zookeeper')).find((n) => /^data\.zkfleet-aside-/.test(n))!;
        assert.ok(existsSync(path.join(h.root, 'data/zookeeper', kept, 'myid')));
      }
    },
  );

  await t.test('backups during a rolling restart: each one verified or failed cleanly, none half-kept', async () => {
    await fs.writeFile(file, ensembleYaml(sb).replace('tickTime: 2000', 'tickTime: 2200'));
    const roll = cli(['deploy', file]);
    let done = false;
    void roll.then(() => (done = true));
    const outcomes: number[] = [];
    while (!done && outcomes.length < 5) {
      const r = await cli(['backup', file, '-q']);
      outcomes.push(r.code);
      if (r.code !== 0) assert.match(r.stderr, /^error: /m);
    }
    assert.equal((await roll).code, 0);
    const list = await json<BackupEntry[]>(['backups', file]);
    assert.ok(
      list.result.every((b) => b.verified),
      JSON.stringify(list.result),
    );
    assert.equal(list.result.length, 1 + outcomes.filter((c) => c === 0).length);
    t.diagnostic(`backups during the roll: ${outcomes.join(' ')}`);
  });

  await t.test('coordinator serve takes backups on schedule: an event and the age metric', async () => {
    const dir = tmpDir(t);
    const config = path.join(dir, 'serve.yaml');
    const base = await fs.readFile(sb.serveConfig, 'utf8');
    await fs.writeFile(config, `${base}backup: { ensemble: ${file}, every: 2s, dir: ${dir}/backups, keep: 2 }\n`);
    const p = spawn(process.execPath, [COORDINATOR, 'serve', '--config', config], { stdio: 'ignore' });
    t.after(() => p.kill('SIGKILL'));
    const started = Math.floor(Date.now() / 1000);
    let last = 0;
    for (let i = 0; i < 60 && last < started; i++) {
      await sleep(500);
      const m = await fetch(`http://${sb.gateway}:9400/metrics`).then(
        (r) => r.text(),
        () => '',
      );
      last = Number(/^zkfleet_backup_last_success_timestamp_seconds (\d+)$/m.exec(m)?.[1] ?? 0);
    }
    assert.ok(last >= started, 'a scheduled backup succeeded');
    const eventsFile = path.join(sb.dir, 'coordinator-state/events.jsonl');
    const taken = async () =>
      ((await fs.readFile(eventsFile, 'utf8').catch(() => '')).match(/"kind":"backup"/g) ?? []).length;
    for (let i = 0; i < 60 && (await taken()) < 3; i++) await sleep(500);
    assert.ok((await taken()) >= 3, 'three scheduled backups');
    const kept = readdirSync(path.join(dir, 'backups')).filter((n) => !n.startsWith('.partial-'));
    assert.equal(kept.length, 2, `backup.keep 2: ${kept.join(' ')}`);
    p.kill('SIGTERM');
    assert.match(await fs.readFile(eventsFile, 'utf8'), /"kind":"backup","detail":"dubbo-zk-\d{8}T/);
  });
});
