import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeStep,
  hasZooKeeper3829,
  planLines,
  planMembership,
  reconfigVersionProblem,
  type Member,
  type MembershipInput,
} from '../../coordinator/zookeeper/membership';

const m = (name: string, myid: number, observer = false): Member => ({ name, myid, observer });
const [a, b, c, d, e] = [m('a', 1), m('b', 2), m('c', 3), m('d', 4), m('e', 5)];

function input(current: Member[], target: Member[], over: Partial<MembershipInput> = {}): MembershipInput {
  const serving = new Set(current.map((x) => x.name));
  return { current, target, serving, version: '3.4.13', dynamic: false, allowOutage: false, ...over };
}

test('3 → 5 is two steps of one new voter each; the servers that stay restart at each', () => {
  const plan = planMembership(input([a, b, c], [a, b, c, d, e]));
  assert.deepEqual(plan.problems, []);
  assert.deepEqual(
    plan.steps.map((s) => [describeStep(s), s.voters, s.quorum, s.tolerates, s.restarts.join(',')]),
    [
      ['add d (myid 4)', 4, 3, 1, 'a,b,c'],
      ['add e (myid 5)', 5, 3, 2, 'a,b,c,d'],
    ],
  );
  assert.deepEqual(
    plan.steps[1].members.map((x) => x.name),
    ['a', 'b', 'c', 'd', 'e'],
  );
});

test('5 → 3 is two removals, one voter each; the leavers are not restarted', () => {
  const plan = planMembership(input([a, b, c, d, e], [a, b, c]));
  assert.deepEqual(plan.problems, []);
  assert.deepEqual(
    plan.steps.map((s) => [describeStep(s), s.voters, s.tolerates, s.restarts.join(',')]),
    [
      ['remove d (myid 4)', 4, 1, 'a,b,c,e'],
      ['remove e (myid 5)', 3, 1, 'a,b,c'],
    ],
  );
});

test('a dead server and its replacement are one step; it cannot keep the quorum statically, so it is refused', () => {
  const over = { serving: new Set(['a', 'c']) };
  const refused = planMembership(input([a, b, c], [a, c, d], over));
  assert.equal(refused.steps.length, 0);
  assert.match(refused.problems[0], /^replace b \(myid 2\) by d \(myid 4\): restarting a leaves 1 of the 3 voters/);
  assert.match(refused.problems[0], /bring b back first, or turn on reconfig .* --allow-outage/);
  const accepted = planMembership(input([a, b, c], [a, c, d], { ...over, allowOutage: true }));
  assert.deepEqual(accepted.problems, []);
  assert.equal(accepted.steps.length, 1);
  assert.equal(accepted.steps[0].kind, 'replace');
  assert.equal(accepted.steps[0].tolerates, 1);
  assert.match(accepted.steps[0].outage ?? '', /restarting a leaves 1 of the 3/);
});

test('with reconfig the same replacement keeps the quorum and restarts nothing', () => {
  const plan = planMembership(input([a, b, c], [a, c, d], { serving: new Set(['a', 'c']), dynamic: true }));
  assert.deepEqual(plan.problems, []);
  assert.deepEqual(plan.steps[0].restarts, []);
  assert.equal(plan.steps[0].outage, undefined);
});

test('removing two of three voters at once is refused, with what to do instead', () => {
  const plan = planMembership(input([a, b, c], [a]));
  assert.equal(plan.steps.length, 0);
  assert.match(plan.problems.join('\n'), /removing b, c at once takes away 2 of 3 voters.*Remove fewer at a time/);
});

test('a removal while another voter is down is refused when the new list would lose its quorum', () => {
  const over = { serving: new Set(['a', 'b', 'c', 'e']) };
  const plan = planMembership(input([a, b, c, d, e], [a, b, c, d], over));
  assert.equal(plan.steps.length, 0);
  assert.match(plan.problems[0], /^remove e \(myid 5\): restarting a leaves 2 of the 4 voters of the new list serving/);
  assert.match(plan.problems[0], /bring d back first/);
  // All five up: the same removal is safe.
  assert.deepEqual(planMembership(input([a, b, c, d, e], [a, b, c, d])).problems, []);
});

test('a change that leaves fewer than 3 voters is refused', () => {
  const plan = planMembership(input([a, b, c], [a, b]));
  assert.match(plan.problems.join('\n'), /leaves 2 voters: an ensemble of fewer than 3/);
});

test('ZOOKEEPER-3829 versions are refused for static changes, not for reconfig', () => {
  assert.deepEqual(['3.4.13', '3.5.0', '3.5.8', '3.5.9', '3.6.1', '3.6.2', '3.7.0', '3.8.0'].map(hasZooKeeper3829), [
    false,
    true,
    true,
    false,
    true,
    false,
    false,
    false,
  ]);
  const plan = planMembership(input([a, b, c], [a, b, c, d], { version: '3.5.7' }));
  assert.match(
    plan.problems[0],
    /3\.5\.7 has ZOOKEEPER-3829.*Upgrade to 3\.5\.9, 3\.6\.2 or later first, or turn on reconfig/,
  );
  assert.deepEqual(planMembership(input([a, b, c], [a, b, c, d], { version: '3.5.7', dynamic: true })).problems, []);
});

test('no change and a first deploy plan no step', () => {
  assert.deepEqual(planMembership(input([a, b, c], [c, b, a])), { steps: [], problems: [] });
  assert.deepEqual(planMembership(input([], [a, b, c])), { steps: [], problems: [] });
});

test('an observer is added like a voter but counts for no quorum; promoted or demoted in a step of its own', () => {
  const o = m('o', 4, true);
  const plan = planMembership(input([a, b, c], [a, b, c, o]));
  assert.deepEqual(
    plan.steps.map((s) => [describeStep(s), s.voters, s.quorum]),
    [['add o (myid 4, observer)', 3, 2]],
  );
  const promote = planMembership(input([a, b, c, o], [a, b, c, m('o', 4)]));
  assert.deepEqual(promote.problems, []);
  assert.deepEqual(
    promote.steps.map((s) => [describeStep(s), s.voters, s.quorum, s.restarts.join(',')]),
    [['promote o (myid 4) to voter', 4, 3, 'a,b,c,o']],
  );
  const dynamic = planMembership(input([a, b, c, o], [a, b, c, m('o', 4)], { dynamic: true, version: '3.8.0' }));
  assert.deepEqual(dynamic.steps[0].restarts, []);
  const demote = planMembership(input([a, b, c, d], [a, b, c, m('d', 4, true)]));
  assert.deepEqual(
    demote.steps.map((s) => [describeStep(s), s.voters, s.quorum]),
    [['demote d (myid 4) to observer', 3, 2]],
  );
  const two = planMembership(input([a, b, c], [a, b, m('c', 3, true)])).problems;
  assert.ok(
    two.some((p) => /the change leaves 2 voters/.test(p)),
    two.join('\n'),
  );
});

test('the plan as printed: members before and after, each step with its quorum and restarts', () => {
  const plan = planMembership(input([a, b, c], [a, b, d, e, c]));
  assert.deepEqual(planLines([a, b, c], plan, false), [
    'membership: a=1 b=2 c=3 → a=1 b=2 c=3 d=4 e=5 (2 step(s), static: one voter per step)',
    '  1. add d (myid 4): 4 voters, quorum 3, tolerates 1 failure(s); restarts a, b, c (the leader last)',
    '  2. add e (myid 5): 5 voters, quorum 3, tolerates 2 failure(s); restarts a, b, c, d (the leader last)',
  ]);
});

test('an ensemble that has no quorum of the old list serving now is refused, whatever the step', () => {
  const plan = planMembership(input([a, b, c], [a, b, c, d], { serving: new Set(['a']) }));
  assert.match(plan.problems[0], /^add d \(myid 4\): only 1 of the 3 voters of the old list serve now/);
});

test('reconfig asked by the file but not running yet: turning it on comes first, as its own deploy', () => {
  const plan = planMembership(input([a, b, c], [a, b, c, d], { version: '3.8.0', reconfigAsked: true }));
  assert.equal(plan.steps.length, 0);
  assert.match(plan.problems[0], /reconfig: true first \(one roll\), then change the membership/);
  const running = planMembership(
    input([a, b, c], [a, b, c, d], { version: '3.8.0', reconfigAsked: true, dynamic: true }),
  );
  assert.deepEqual(running.problems, []);
  assert.deepEqual(running.steps[0].restarts, []);
});

test('reconfig needs 3.5.3 or later', () => {
  assert.match(reconfigVersionProblem('3.4.13') ?? '', /3\.4\.13 has no dynamic reconfiguration; it needs 3\.5\.3/);
  assert.ok(reconfigVersionProblem('3.5.2'));
  assert.equal(reconfigVersionProblem('3.5.3'), undefined);
  assert.equal(reconfigVersionProblem('3.8.0'), undefined);
});
