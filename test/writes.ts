import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentConnection } from '../coordinator/fleet/agent-client';
import { connectZk, type ZkClient } from '../coordinator/zookeeper/client';
import type { TlsMaterial } from '../shared/pki/tls';
import type { ZooKeeperStatus__Output } from '../shared/generated/wire';

const SERVING = new Set(['leader', 'follower']);

/**
 * Enough acknowledged writes to show that writes went on through a change, so that "none lost" says
 * something. Not a rate: a sandbox host's fsync sets that (10 to 400 writes a second here, fewer on 3.4), and a
 * faster roll leaves less time to write.
 */
export const ENOUGH_WRITES = 20;

export interface WriteTally {
  acked: number;
  attempts: number;
  sessions: number;
  /** Acknowledged writes not found afterwards: must be empty. */
  lost: string[];
  /** The acknowledged znodes' names (to look for on each server on its own). */
  ackedNames: string[];
}

/**
 * How a test's client gets in: "user:password" (the session authenticates by digest first, for a server that
 * refuses anonymous ones), or with `tls` through a TLS bridge to the servers' secure port with that certificate.
 * Each session: 10 s to connect, 20 s before it expires (a roll's elections stay well inside it).
 */
export type Access = string | { auth?: string; tls?: TlsMaterial };
const session = (connect: string, access?: Access) => {
  const o = typeof access === 'string' ? { auth: access } : (access ?? {});
  return connectZk(connect, 10_000, 20_000, undefined, o.auth, o.tls);
};

function children(client: ZkClient, path: string): Promise<string[]> {
  return (client as unknown as { get_children(p: string, w: boolean): Promise<string[]> }).get_children(path, false);
}

/**
 * A client writing sequential znodes under `path` through the whole ensemble, as a Dubbo provider would
 * register: it keeps one session while it can and replaces an expired one (expiry loses no acked write).
 * `stop()` returns what was acknowledged and which of those are missing.
 */
export async function startWrites(
  t: TestContext,
  connect: string,
  path: string,
  auth?: Access,
): Promise<{ stop(): Promise<WriteTally> }> {
  let client: ZkClient | undefined = await firstSession(connect, auth);
  await client.create(path, '', 0).catch(() => undefined);
  const acked: string[] = [];
  let attempts = 0;
  let sessions = 1;
  let stopped = false;
  const writer = (async () => {
    for (let i = 0; !stopped; i++) {
      attempts++;
      try {
        if (!client) {
          client = await session(connect, auth);
          sessions++;
        }
        await client.create(`${path}/w${i}`, String(i), 0);
        acked.push(`w${i}`);
      } catch (err) {
        // An expired session is replaced (a failed open is tried again at the next write); other errors wait.
        if (/ZINVALIDSTATE|ZSESSIONEXPIRED/.test(String((err as Error).message))) {
          client?.close();
          client = undefined;
        } else await sleep(50);
      }
    }
  })();
  // Also at the test's end: a test that failed before stop() must not leave a writer (and its native client)
  // keeping the process alive.
  const halt = async () => {
    stopped = true;
    await writer;
    client?.close();
    client = undefined;
  };
  t.after(halt);
  return {
    async stop() {
      await halt();
      // Read back through a session of its own: the writer's may have just expired.
      const found = new Set(await znodes(connect, path, auth));
      return { acked: acked.length, attempts, sessions, lost: acked.filter((w) => !found.has(w)), ackedNames: acked };
    },
  };
}

/**
 * The writer's first session, tried three times as an application's client would: a mixed-host run once saw the
 * first attempt right after a roll get no session in 10 s (cause not known), then the next run none.
 */
async function firstSession(connect: string, auth?: Access): Promise<ZkClient> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await session(connect, auth);
    } catch (err) {
      if (attempt >= 3) throw err;
      await sleep(1000);
    }
  }
}

/** A session of its own for `fn`, closed whatever happens (an open native client keeps a test process alive). */
export async function withZk<T>(connect: string, fn: (client: ZkClient) => Promise<T>, auth?: Access): Promise<T> {
  const client = await session(connect, auth);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** Znodes under `path` now (a fresh session), to compare with what was written before a change. */
export function znodes(connect: string, path: string, auth?: Access): Promise<string[]> {
  return withZk(
    connect,
    async (client) => {
      await client.sync(path);
      return (await children(client, path)).sort();
    },
    auth,
  );
}

/**
 * Samples every agent's status every 100 ms: the most servers down at one moment ("down": no process, or
 * not listening) and how many samples saw an election (up, but not serving: ZooKeeper cannot avoid it).
 */
export function watchDown(
  t: TestContext,
  agents: AgentConnection[],
  o: { members?: 'joined' } = {},
): { stop(): Promise<{ maxDown: number; elections: number }> } {
  let stopped = false;
  let maxDown = 0;
  let elections = 0;
  // With `members: 'joined'` a server counts once it has served and until it is removed (a membership change):
  // a spare not started yet, or a server retired on purpose, is not a server of the ensemble down.
  const joined = new Set<number>();
  const counts = (s: ZooKeeperStatus__Output | undefined, i: number) => {
    if (s && SERVING.has(s.mode)) joined.add(i);
    if (o.members !== 'joined') return true;
    return joined.has(i) && s?.desired !== 'removed';
  };
  const loop = (async () => {
    while (!stopped) {
      const st = await Promise.all(agents.map((a) => a.zooKeeperStatus(0, { timeoutMs: 2000 }).catch(() => undefined)));
      const down = st.filter((s, i) => counts(s, i) && (!s || s.mode === 'down' || !s.listening));
      maxDown = Math.max(maxDown, down.length);
      if (st.some((s) => s && s.listening && !SERVING.has(s.mode))) elections++;
      await sleep(100);
    }
  })();
  const halt = () => {
    stopped = true;
    return loop;
  };
  t.after(halt);
  return {
    async stop() {
      await halt();
      return { maxDown, elections };
    },
  };
}

/**
 * The writer and the watch stopped, then what every change to a running ensemble must keep: enough writes
 * acknowledged, none lost, each on every server (read from each on its own), one server down at most.
 */
export async function assertWritesKept(
  writes: { stop(): Promise<WriteTally> },
  watch: { stop(): Promise<{ maxDown: number }> },
  servers: Array<{ name: string; address: string }>,
  path: string,
  auth?: Access,
  port = 2181,
): Promise<{ tally: WriteTally; maxDown: number }> {
  const tally = await writes.stop();
  const { maxDown } = await watch.stop();
  assert.ok(tally.acked >= ENOUGH_WRITES, `only ${tally.acked} writes acknowledged`);
  assert.deepEqual(tally.lost, []);
  assert.ok(maxDown <= 1, `${maxDown} servers down at once`);
  for (const h of servers) {
    const onServer = new Set(await znodes(`${h.address}:${port}`, path, auth));
    const missing = tally.ackedNames.filter((w) => !onServer.has(w));
    assert.deepEqual(missing, [], `${h.name} lacks acknowledged writes`);
  }
  return { tally, maxDown };
}
