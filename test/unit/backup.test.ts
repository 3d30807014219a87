import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backupSet, zxidFiles } from '../../agent/backup/files';
import { backupName, beyondKeep, pickSource, restorePlan } from '../../coordinator/backup/rules';
import type { Statuses } from '../../coordinator/zookeeper/quorum';
import type { ZooKeeperStatus__Output } from '../../shared/generated/wire';

test('a backup is the newest snapshot and every log that can hold a later transaction', () => {
  const snaps = zxidFiles(
    ['snapshot.100000000', 'snapshot.1000000a2', 'snapshot.200000005', 'myid', 'acceptedEpoch'],
    'snapshot',
  );
  const logs = zxidFiles(['log.100000001', 'log.100000050', 'log.200000001', 'log.200000009', 'log.x'], 'log');
  const set = backupSet(snaps, logs)!;
  assert.equal(set.snapshot.name, 'snapshot.200000005');
  assert.deepEqual(
    set.logs.map((l) => l.name),
    ['log.200000001', 'log.200000009'],
  );
  // A snapshot newer than every log: the last log still may hold transactions after it.
  assert.deepEqual(
    backupSet(zxidFiles(['snapshot.300000000'], 'snapshot'), logs)!.logs.map((l) => l.name),
    ['log.200000009'],
  );
  assert.equal(backupSet([], logs), undefined);
});

const st = (mode: string, zxid: string): ZooKeeperStatus__Output =>
  ({ mode, zxid, listening: mode !== 'down', pid: 1 }) as ZooKeeperStatus__Output;

test('the source is the serving follower furthest ahead, never the leader', () => {
  const servers = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
  const statuses: Statuses = new Map<string, ZooKeeperStatus__Output | Error>([
    ['a', st('leader', '0x10000000a')],
    ['b', st('follower', '0x100000008')],
    ['c', st('follower', '0x100000009')],
  ]);
  assert.deepEqual(pickSource(servers, statuses), { name: 'c' });
  const noFollower: Statuses = new Map<string, ZooKeeperStatus__Output | Error>([
    ['a', st('leader', '0x1')],
    ['b', st('not_serving', '')],
    ['c', new Error('unreachable')],
  ]);
  assert.match((pickSource(servers, noFollower) as { refused: string }).refused, /never loads the leader/);
  const noLeader: Statuses = new Map<string, ZooKeeperStatus__Output | Error>([['b', st('follower', '0x1')]]);
  assert.match((pickSource(servers, noLeader) as { refused: string }).refused, /no leader/);
});

test('names sort by time; retention keeps the newest verified ones', () => {
  assert.equal(
    backupName('dubbo-zk', new Date('2026-11-26T22:01:02.345Z'), '0x2000000ab'),
    'dubbo-zk-20261126T220102Z-0x2000000ab',
  );
  const all = ['2026-11-01', '2026-11-03', '2026-11-02', '2026-11-04'].map((d, i) => ({
    name: `b${i}`,
    createdAt: d,
    verified: i !== 3,
  }));
  assert.deepEqual(
    beyondKeep(all, 2).map((b) => b.name),
    ['b0'],
  );
});

test('the restore plan warns when the servers hold newer data than the backup', () => {
  const facts = {
    ensemble: 'dubbo-zk',
    backup: { name: 'x', createdAt: 't', source: 'b', zookeeperVersion: '3.8.0', lastZxid: '0x100000010', nodes: 5 },
    hosts: [
      { name: 'a', dataDir: '/data/zk/data', dataLogDir: '/data/zk/logs', running: true, zxid: '0x100000010' },
      { name: 'b', dataDir: '/data/zk/data', dataLogDir: '/data/zk/logs', running: true, zxid: '0x100000009' },
    ],
    logs: 2,
  };
  const same = restorePlan(facts);
  assert.equal(same.newer, undefined);
  assert.match(same.lines.join('\n'), /stop every server: a, b[\s\S]*move \/data\/zk\/data and \/data\/zk\/logs aside/);
  const later = restorePlan({ ...facts, hosts: [{ ...facts.hosts[0], zxid: '0x200000001' }] });
  assert.match(later.newer!, /newer data \(zxid 0x200000001\) than the backup \(0x100000010\)/);
  assert.match(later.lines.at(-1)!, /^WARNING: /);
});
