import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  backBlocker,
  crashed,
  judgeQuorum,
  nextToRoll,
  quorumSize,
  rollOrder,
  stopBlocker,
  stopSetBlocker,
  type ServerRef,
  type Statuses,
} from '../../coordinator/zookeeper/quorum';
import type { ZooKeeperStatus__Output } from '../../shared/generated/wire';

// Made-up statuses: `spec` is "name:mode[:synced]" per server, e.g. "a:leader:2 b:follower c:down".
function servers(names: string, observers = ''): ServerRef[] {
  const obs = new Set(observers.split(' ').filter(Boolean));
  return names.split(' ').map((name) => ({ name, observer: obs.has(name) }));
}
function statuses(spec: string): Statuses {
  const m = new Map<string, ZooKeeperStatus__Output | Error>();
  for (const part of spec.split(' ')) {
    const [name, mode, synced] = part.split(':');
    if (mode === 'unreachable') m.set(name, new Error('agent unreachable'));
    else
      m.set(name, {
        mode,
        syncedFollowers: Number(synced ?? 0),
        pid: mode === 'down' ? 0 : 1,
      } as ZooKeeperStatus__Output);
  }
  return m;
}
const three = servers('a b c');
const five = servers('a b c d e');

test('quorum sizes: 1, 3, 4 (even), 5 voters', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map(quorumSize), [1, 2, 2, 3, 3]);
});

test('judge: 3 voters, one leader, all synced: healthy, tolerates one failure', () => {
  const v = judgeQuorum(three, statuses('a:follower b:leader:2 c:follower'));
  assert.deepEqual([v.ok, v.leader, v.serving, v.tolerates], [true, 'b', 3, 1]);
});

test('judge: a follower down keeps the quorum but is a problem; tolerates none', () => {
  const v = judgeQuorum(three, statuses('a:follower b:leader:1 c:down'));
  assert.equal(v.ok, false);
  assert.equal(v.tolerates, 0);
  assert.ok(v.problems.includes('c: down'));
});

test('judge: no leader (an election) is no quorum', () => {
  const v = judgeQuorum(three, statuses('a:not_serving b:not_serving c:not_serving'));
  assert.equal(v.ok, false);
  assert.equal(v.leader, undefined);
  assert.ok(v.problems.includes('no leader'));
});

test('judge: two leaders (a split brain seen mid-election) are named', () => {
  const v = judgeQuorum(three, statuses('a:leader b:leader c:follower'));
  assert.ok(v.problems.some((p) => /2 leaders: a, b/.test(p)));
});

test('judge: an observer is not a voter; the even count of 4 voters tolerates one', () => {
  const four = servers('a b c d e', 'e');
  const v = judgeQuorum(four, statuses('a:leader:3 b:follower c:follower d:follower e:observer'));
  assert.deepEqual([v.ok, v.voters, v.tolerates], [true, 4, 1]);
});

test('judge: one server alone is healthy when standalone', () => {
  const v = judgeQuorum(servers('a'), statuses('a:standalone'));
  assert.deepEqual([v.ok, v.leader], [true, 'a']);
});

test('roll order: followers first in file order, the leader last', () => {
  const order = rollOrder(three, statuses('a:leader:2 b:follower c:follower'));
  assert.deepEqual(
    order.map((s) => s.name),
    ['b', 'c', 'a'],
  );
});

test('next to roll: a leader that changed mid-roll still goes last', () => {
  const remaining = servers('a c');
  // a was the leader when the roll was planned; now c leads.
  assert.equal(nextToRoll(remaining, statuses('a:follower b:follower c:leader:2'))?.name, 'a');
  assert.equal(nextToRoll(servers('c'), statuses('a:follower b:follower c:leader:2'))?.name, 'c');
});

test('stop: 3 voters all serving: a follower may go', () => {
  assert.equal(stopBlocker(three[0], three, statuses('a:follower b:leader:2 c:follower')), undefined);
});

test('stop: 3 voters with one down: no other may go', () => {
  const why = stopBlocker(three[0], three, statuses('a:follower b:leader:1 c:down'));
  assert.match(why ?? '', /restarting a now would leave 1 of 3 voters serving \(quorum 2; not serving: c down\)/);
});

test('stop: the crashed server itself may be restarted (it costs nothing)', () => {
  assert.equal(stopBlocker(three[2], three, statuses('a:follower b:leader:1 c:down')), undefined);
});

test('stop: 5 voters with one down: one more may go; with two down, none', () => {
  assert.equal(stopBlocker(five[0], five, statuses('a:follower b:leader:3 c:follower d:follower e:down')), undefined);
  const why = stopBlocker(five[0], five, statuses('a:follower b:leader:2 c:follower d:down e:down'));
  assert.match(why ?? '', /would leave 2 of 5 voters/);
});

test('stop: no leader: nobody goes', () => {
  assert.match(stopBlocker(three[0], three, statuses('a:follower b:not_serving c:follower')) ?? '', /^no leader/);
});

test('stop: an unreachable target is not restarted', () => {
  assert.match(stopBlocker(three[0], three, statuses('a:unreachable b:leader:2 c:follower')) ?? '', /unreachable/);
});

test('stop: an observer may go whatever the voters do, when they keep a quorum', () => {
  const withObserver = servers('a b c d', 'd');
  assert.equal(
    stopBlocker(withObserver[3], withObserver, statuses('a:follower b:leader:1 c:down d:observer')),
    undefined,
  );
});

test('stop: a single server may be restarted (an outage is the only way)', () => {
  assert.equal(stopBlocker(servers('a')[0], servers('a'), statuses('a:standalone')), undefined);
});

test('back: serving again and counted synced by the leader', () => {
  assert.equal(backBlocker(three[0], three, statuses('a:follower b:leader:2 c:follower')), undefined);
});

test('back: serving but not yet synced', () => {
  assert.match(
    backBlocker(three[0], three, statuses('a:follower b:leader:1 c:follower')) ?? '',
    /leader b has 1 synced followers of 2 serving/,
  );
});

test('back: still electing', () => {
  assert.match(backBlocker(three[0], three, statuses('a:not_serving b:leader:1 c:follower')) ?? '', /a is not_serving/);
});

test('back: the restarted leader is back once a new leader counts it', () => {
  assert.equal(backBlocker(three[2], three, statuses('a:leader:2 b:follower c:follower')), undefined);
});

test('crashed: the agent answers and the process is gone; unreachable hosts are not "crashed"', () => {
  const c = crashed(three, statuses('a:down b:leader:0 c:unreachable'));
  assert.deepEqual(
    c.map((s) => s.name),
    ['a'],
  );
});

test('a stop of several servers: allowed while the rest keep a quorum', () => {
  const st = statuses('a:follower b:leader:4 c:follower d:follower e:follower');
  assert.equal(stopSetBlocker(five.slice(0, 2), five, st), undefined);
  assert.match(
    stopSetBlocker(five.slice(0, 3), five, st) ?? '',
    /stopping a, b, c would leave 2 of 5 voters serving \(quorum 3/,
  );
});
