import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retriedOnConnectionLoss } from '../../coordinator/zookeeper/client';

// Errors as the npm client makes them: ZooKeeper's return code, then its words.
const lost = () => new Error('-4 connection loss');
const timedOut = () => new Error('-7 operation timeout');
const noNode = () => new Error('-101 no node');

test('the client check makes a call again after a lost connection, until it answers', async () => {
  const errors = [lost(), timedOut()];
  let calls = 0;
  const answer = await retriedOnConnectionLoss(Date.now() + 5_000, undefined, async () => {
    calls++;
    const e = errors.shift();
    if (e) throw e;
    return 'token';
  });
  assert.equal(answer, 'token');
  assert.equal(calls, 3);
});

test('the client check gives up on a lost connection at its deadline, with the last error', async () => {
  let calls = 0;
  const started = Date.now();
  await assert.rejects(
    retriedOnConnectionLoss(Date.now() + 500, undefined, async () => {
      calls++;
      throw lost();
    }),
    /-4 connection loss/,
  );
  assert.ok(calls >= 2 && Date.now() - started < 2_000, `${calls} calls in ${Date.now() - started} ms`);
});

test('any other error of the client check is not retried', async () => {
  let calls = 0;
  await assert.rejects(
    retriedOnConnectionLoss(Date.now() + 5_000, undefined, async () => {
      calls++;
      throw noNode();
    }),
    /-101 no node/,
  );
  assert.equal(calls, 1);
});

test('a cancelled client check stops waiting to retry', async () => {
  const aborter = new AbortController();
  const pending = retriedOnConnectionLoss(Date.now() + 5_000, aborter.signal, async () => {
    throw lost();
  });
  aborter.abort();
  await assert.rejects(pending, { name: 'AbortError' });
});
