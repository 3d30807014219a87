import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeployLease, type LeaseOptions } from '../../coordinator/fleet/lease';
import { progressFor } from '../../coordinator/output/progress';
import { localAgent } from './local-fleet';

/** The deploy lease against a real agent over mTLS: one holder, refusals that name it, expiry, a break. */
test('the deploy lease on an agent', async (t) => {
  const a = await localAgent(t);
  const agents = { agent: () => a.client };
  const hosts = [{ name: 'local-1' }];
  const opts = (o: Partial<LeaseOptions> = {}): LeaseOptions => ({
    command: 'deploy',
    ttlMs: 3000,
    breakLock: false,
    progress: progressFor(process.stderr, true),
    signal: new AbortController().signal,
    ...o,
  });

  await t.test('a second holder is refused with the first one named; a release frees it', async () => {
    const first = await DeployLease.take(agents, hosts, opts());
    await first.confirm();
    await assert.rejects(DeployLease.take(agents, hosts, opts({ command: 'rollback' })), (err: Error) => {
      assert.match(err.message, /held by \S+@\S+ \(pid \d+, deploy since /);
      return (err as { code?: string }).code === 'LOCKED';
    });
    await first.confirm();
    await first.release();
    const second = await DeployLease.take(agents, hosts, opts());
    await second.release();
  });

  await t.test('an expired lease is lost for good: confirm fails and aborts the holder', async () => {
    const l = await DeployLease.take(agents, hosts, opts({ ttlMs: 3000 }));
    (l as unknown as { stop(): void }).stop(); // no renewals, as a suspended coordinator
    await sleep(3200);
    await assert.rejects(l.confirm(), /lease was lost .*expired/);
    assert.ok(l.signal.aborted);
    const next = await DeployLease.take(agents, hosts, opts());
    await next.release();
  });

  await t.test('--break-lock takes a live lease, names whose, and the agent audits it', async () => {
    const held = await DeployLease.take(agents, hosts, opts());
    const breaker = await DeployLease.take(agents, hosts, opts({ breakLock: true }));
    assert.match(breaker.broken[0], /local-1: broke the lease of \S+ \(pid \d+, deploy since/);
    assert.ok(a.logLines.some((l) => /deploy lease broken/.test(l) && /"audit":true/.test(l)));
    await assert.rejects(held.confirm(), /lease was lost/);
    await breaker.release();
  });
});
