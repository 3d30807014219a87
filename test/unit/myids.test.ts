import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assignMyids } from '../../coordinator/ensemble/state';

const empty = { myids: {}, retired: {} };

test('first assignment follows the file order; reordering and adding never renumber', () => {
  const a = assignMyids(empty, { hosts: ['a', 'b', 'c'], pins: {}, existing: {} });
  assert.deepEqual(a.myids, { a: 1, b: 2, c: 3 });
  const b = assignMyids(a.state, { hosts: ['c', 'd', 'a', 'b'], pins: {}, existing: {} });
  assert.deepEqual(b.myids, { a: 1, b: 2, c: 3, d: 4 });
});

test('a removed host keeps its id reserved; back with its data it gets it again, back empty a new one', () => {
  const a = assignMyids(empty, { hosts: ['a', 'b', 'c'], pins: {}, existing: {} });
  const b = assignMyids(a.state, { hosts: ['a', 'c', 'd'], pins: {}, existing: {} });
  assert.deepEqual(b.myids, { a: 1, c: 3, d: 4 });
  assert.deepEqual(b.state.retired, { b: 2 });
  const withData = assignMyids(b.state, {
    hosts: ['a', 'b', 'c', 'd'],
    pins: {},
    existing: { b: { myid: 2, hasData: true } },
  });
  assert.equal(withData.myids.b, 2);
  // Its data was moved aside when it was removed: myid 2 voted once, it never votes again without its data.
  const empty2 = assignMyids(b.state, {
    hosts: ['a', 'b', 'c', 'd'],
    pins: {},
    existing: { b: { myid: 2, hasData: false } },
  });
  assert.equal(empty2.myids.b, 5);
  assert.deepEqual(empty2.state.retired, {});
  assert.ok(!Object.values(empty2.myids).includes(2));
});

test('pins win; a lost state adopts the myid each host already holds', () => {
  const a = assignMyids(empty, { hosts: ['a', 'b', 'c'], pins: { c: 1 }, existing: {} });
  assert.deepEqual(a.myids, { c: 1, a: 2, b: 3 });
  const lost = assignMyids(empty, {
    hosts: ['a', 'b', 'c'],
    pins: {},
    existing: { a: { myid: 7, hasData: true }, b: { myid: 3, hasData: true } },
  });
  assert.deepEqual(lost.myids, { a: 7, b: 3, c: 1 });
});

test("a pin that contradicts a host's data is refused, with what to do", () => {
  const r = assignMyids(empty, { hosts: ['a', 'b'], pins: { a: 2 }, existing: { a: { myid: 1, hasData: true } } });
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0], /a: zookeeper.myids pins 2, but its dataDir holds the data of server 1/);
});
