import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  crosses35,
  downgrades,
  parseVersion,
  reportsVersion,
  rollbackPlan,
  runningMismatch,
  untrustedDataDirs,
  versionChange,
} from '../../coordinator/artifacts/versions';
import { leaseDecision } from '../../shared/lease';

test('versions parse the way vendors write them', () => {
  assert.deepEqual(parseVersion('3.8.0'), [3, 8, 0]);
  assert.deepEqual(parseVersion('11.0.24'), [11, 0, 24]);
  assert.deepEqual(parseVersion('1.8.0_292'), [1, 8, 0, 292]);
  assert.deepEqual(parseVersion('3.4.13-2d71af4dbe22557fda74f9a9b4309b15a7487f03'), [3, 4, 13]);
  assert.equal(parseVersion('latest'), undefined);
});

test('an older minor version is a downgrade; an older patch of the same minor is not', () => {
  assert.equal(versionChange('', '3.8.0'), 'new');
  assert.equal(versionChange('3.8.0', '3.8.0'), 'same');
  assert.equal(versionChange('3.4.13', '3.8.0'), 'upgrade');
  assert.equal(versionChange('3.8.1', '3.8.0'), 'patch-downgrade');
  assert.equal(versionChange('3.8.0', '3.4.13'), 'downgrade');
  assert.equal(versionChange('17.0.15', '11.0.24'), 'downgrade');
  assert.equal(versionChange('1.8.0_292', '11.0.24'), 'upgrade');
  assert.equal(versionChange('custom', 'other'), 'unknown');
});

test('downgrades names each host and product refused', () => {
  const hosts = [
    { name: 'a', zookeeper: '3.8.0', jdk: '17.0.15' },
    { name: 'b', zookeeper: '3.8.1', jdk: '11.0.24' },
  ];
  assert.deepEqual(downgrades(hosts, { zookeeper: '3.8.0', jdk: '11.0.24' }), ['a: the JDK 17.0.15 → 11.0.24']);
  assert.deepEqual(downgrades(hosts, { zookeeper: '3.4.13', jdk: '17.0.15' }), [
    'a: ZooKeeper 3.8.0 → 3.4.13',
    'b: ZooKeeper 3.8.1 → 3.4.13',
  ]);
  assert.deepEqual(downgrades([{ name: 'new', zookeeper: '', jdk: '' }], { zookeeper: '3.4.13', jdk: '8' }), []);
});

test('the 3.4 → 3.5 trap: only logs without a snapshot, only when the upgrade crosses 3.5', () => {
  assert.equal(crosses35('3.4.13', '3.5.0'), true);
  assert.equal(crosses35('3.4.13', '3.8.0'), true);
  assert.equal(crosses35('3.5.9', '3.8.0'), false);
  assert.equal(crosses35('', '3.8.0'), false);
  const hosts = [
    { name: 'a', zookeeper: '3.4.13', hasTxnlog: true, hasSnapshot: false },
    { name: 'b', zookeeper: '3.4.13', hasTxnlog: true, hasSnapshot: true },
    { name: 'c', zookeeper: '3.4.13', hasTxnlog: false, hasSnapshot: false },
    { name: 'd', zookeeper: '3.6.3', hasTxnlog: true, hasSnapshot: false },
  ];
  assert.deepEqual(untrustedDataDirs(hosts, '3.8.0'), ['a']);
  assert.deepEqual(untrustedDataDirs(hosts, '3.4.14'), []);
});

test('a restarted server must report the version it should run', () => {
  assert.equal(reportsVersion('3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f, built on 2022-02-25', '3.8.0'), true);
  assert.equal(reportsVersion('3.8.0', '3.8.0'), true);
  assert.equal(reportsVersion('3.8.1-abc, built on x', '3.8.0'), false);
  const s = {
    version: '3.4.13-abc, built on x',
    jdkRunning: '11.0.24',
    zookeeperInstalled: '3.8.0',
    jdkInstalled: '11.0.24',
  };
  assert.match(runningMismatch(s)!, /reports ZooKeeper 3\.4\.13.*not 3\.8\.0/);
  assert.equal(runningMismatch({ ...s, version: '3.8.0-x' }), undefined);
  assert.match(runningMismatch({ ...s, version: '3.8.0-x' }, { jdk: '17.0.15' })!, /JVM runs from 11\.0\.24/);
});

const at = (zookeeper: string, jdk: string) => ({ zookeeper, jdk });

test('rollback: all on one version go back to the one they ran before', () => {
  const hosts = ['a', 'b', 'c'].map((name) => ({ name, current: at('3.8.0', '11'), previous: at('3.4.13', '11') }));
  assert.deepEqual(rollbackPlan(hosts), { target: at('3.4.13', '11'), move: ['a', 'b', 'c'] });
});

test('rollback: an upgrade that stopped part-way moves only the servers it reached', () => {
  const hosts = [
    { name: 'a', current: at('3.8.0', '11'), previous: at('3.4.13', '11') },
    { name: 'b', current: at('3.4.13', '11'), previous: at('', '') },
    { name: 'c', current: at('3.4.13', '11'), previous: at('', '') },
  ];
  assert.deepEqual(rollbackPlan(hosts), { target: at('3.4.13', '11'), move: ['a'] });
});

test('rollback: a product with no earlier tree recorded stays where it is', () => {
  const hosts = [
    { name: 'a', current: at('3.8.0', '17'), previous: at('3.8.0', '11') },
    { name: 'b', current: at('3.8.0', '17'), previous: at('', '11') },
  ];
  assert.deepEqual(rollbackPlan(hosts), { target: at('3.8.0', '11'), move: ['a', 'b'] });
});

test('rollback: refused with nothing recorded or different histories', () => {
  const none = [{ name: 'a', current: at('3.8.0', '11'), previous: at('', '') }];
  assert.match((rollbackPlan(none) as { refused: string }).refused, /no earlier version is recorded on a/);
  const mixed = [
    { name: 'a', current: at('3.8.0', '11'), previous: at('3.4.13', '11') },
    { name: 'b', current: at('3.8.0', '11'), previous: at('3.8.0', '8') },
  ];
  assert.match((rollbackPlan(mixed) as { refused: string }).refused, /ran different versions before/);
  const apart = [
    { name: 'a', current: at('3.8.0', '11'), previous: at('3.4.13', '11') },
    { name: 'b', current: at('3.6.0', '11'), previous: at('3.5.0', '11') },
  ];
  assert.match((rollbackPlan(apart) as { refused: string }).refused, /none is everyone's earlier one/);
});

test('the lease: one holder; an expired one is lost for good; a break takes it', () => {
  assert.equal(leaseDecision('ACQUIRE', 'x', undefined, false), 'grant');
  assert.equal(leaseDecision('ACQUIRE', 'x', { id: 'x' }, false), 'renew');
  assert.equal(leaseDecision('ACQUIRE', 'y', { id: 'x' }, false), 'refuse');
  assert.equal(leaseDecision('ACQUIRE', 'y', { id: 'x' }, true), 'break');
  assert.equal(leaseDecision('RENEW', 'x', { id: 'x' }, false), 'renew');
  assert.equal(leaseDecision('RENEW', 'x', undefined, false), 'lost');
  assert.equal(leaseDecision('RENEW', 'x', { id: 'y' }, false), 'lost');
  assert.equal(leaseDecision('RELEASE', 'x', { id: 'x' }, false), 'release');
  assert.equal(leaseDecision('RELEASE', 'x', { id: 'y' }, false), 'noop');
});
