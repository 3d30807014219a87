import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZkfError } from '../../shared/errors';
import type { TlsMaterial } from '../../shared/pki/tls';
import { openBridge } from './tls-bridge';

interface ZkClient {
  init(o: object): ZkClient;
  on(ev: 'connect' | 'close', cb: () => void): void;
  once(ev: 'connect', cb: () => void): void;
  create(path: string, data: string | Buffer, flags: number): Promise<string>;
  get(path: string, watch: boolean): Promise<[unknown, Buffer | string]>;
  set(path: string, data: string | Buffer, version: number): Promise<unknown>;
  sync(path: string): Promise<unknown>;
  delete_(path: string, version: number): Promise<unknown>;
  pathExists(path: string, watch: boolean): Promise<boolean>;
  add_auth(scheme: string, auth: string, done: (rc: number, error: string) => void): void;
  getconfig(watch: boolean): Promise<[unknown, Buffer | string]>;
  get_acl(path: string): Promise<[Array<{ perms: number; scheme: string; auth: string }>, unknown]>;
  set_acl(path: string, version: number, acl: Array<{ perms: number; scheme: string; auth: string }>): Promise<unknown>;
  reconfig(joining: string | null, leaving: string | null, members: string | null, version: number): Promise<unknown>;
  close(): void;
}
interface ZkCtor {
  new (o: {
    connect: string;
    timeout: number;
    debug_level: number;
    host_order_deterministic: boolean;
    response_counter_limit: number;
  }): ZkClient;
  constants: Record<string, number>;
}

let zookeeper: ZkCtor | undefined;

/** The C client's log level that turns its logging off (zoo_set_debug_level(0)). */
const SILENT = 0;

/**
 * The npm `zookeeper` package: the native C client, as Dubbo's own ZooKeeper client sees the ensemble.
 * Loaded on first use: only the client check and the tests need it, not every command.
 */
export function zkLibrary(): ZkCtor {
  zookeeper ??= require('zookeeper') as ZkCtor;
  return zookeeper;
}

/**
 * Connect with a deadline; the client is closed if the deadline passes or the signal fires. With `auth`
 * ("user:password"), the session authenticates by digest before anything else (what a server that refuses
 * anonymous clients needs).
 */
export async function connectZk(
  connect: string,
  timeoutMs = 10_000,
  sessionTimeoutMs = 10_000,
  signal?: AbortSignal,
  auth?: string,
  tls?: TlsMaterial,
): Promise<ZkClient> {
  const bridge = tls ? await openBridge(connect, tls) : undefined;
  const client = await connected(bridge?.connect ?? connect, timeoutMs, sessionTimeoutMs, signal).catch(
    (err: unknown) => (bridge?.close(), Promise.reject(err)),
  );
  if (bridge) {
    const close = client.close.bind(client);
    client.close = () => (close(), bridge.close());
  }
  if (auth) await authenticate(client, auth).catch((err: unknown) => (client.close(), Promise.reject(err)));
  return client;
}

function authenticate(client: ZkClient, auth: string): Promise<void> {
  const user = auth.slice(0, auth.indexOf(':'));
  return new Promise((resolve, reject) =>
    client.add_auth('digest', auth, (rc, error) =>
      rc ? reject(new ZkfError('PERMISSION_DENIED', `ZooKeeper refused the digest user ${user}: ${error}`)) : resolve(),
    ),
  );
}

function connected(connect: string, timeoutMs: number, sessionTimeoutMs: number, signal?: AbortSignal) {
  const ZooKeeper = zkLibrary();
  return new Promise<ZkClient>((resolve, reject) => {
    // response_counter_limit: the npm client closes its own handle as "expired" after that many failed
    // reads in a row (default 10: a server restart in a rolling change is enough). Keep retrying, as the
    // Java client does, until the server says the session expired.
    const client = new ZooKeeper({
      connect,
      timeout: sessionTimeoutMs,
      // Silent: the addon prints its errors ("yield:zookeeper_process returned an error") to stdout, which would
      // break `--json`; every failure reaches the caller as an error of the call, and zkfleet says it.
      debug_level: SILENT,
      host_order_deterministic: false,
      response_counter_limit: 100_000,
    });
    const fail = (err: ZkfError) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      client.close();
      reject(err);
    };
    const onAbort = () => fail(new ZkfError('CANCELLED', 'cancelled'));
    const timer = setTimeout(
      () => fail(new ZkfError('VERIFY_FAILED', `no ZooKeeper session with ${connect} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    client.once('connect', () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(client);
    });
    client.init({});
  });
}

export type { ZkClient };

/** How long the client check may take in all, calls that a lost connection interrupted retried within it. */
const VERIFY_MS = 20_000;

/**
 * The client check of a deploy: write a znode through the ensemble's connection string, then read it back
 * from every server on its own (after `sync`, so a lagging follower does not pass by luck). A call that a lost
 * connection interrupted is made again, as an application's client would: the writer's client moves to
 * another server, a reader's back to its own, which must then answer.
 */
export async function verifyEnsemble(
  servers: Array<{ name: string; connect: string }>,
  signal?: AbortSignal,
  auth?: string,
  tls?: TlsMaterial,
): Promise<{ path: string; checked: string[] }> {
  const deadline = Date.now() + VERIFY_MS;
  const token = `${new Date().toISOString()} ${randomBytes(6).toString('hex')}`;
  const path = `/zkfleet-verify-${randomBytes(4).toString('hex')}`;
  const writer = await connectZk(servers.map((s) => s.connect).join(','), 10_000, 10_000, signal, auth, tls);
  try {
    await writeToken(writer, path, token, deadline, signal);
    const checked = await Promise.all(servers.map((s) => readBack(s, path, token, deadline, { signal, auth, tls })));
    await writer.delete_(path, -1).catch(() => undefined);
    return { path, checked };
  } finally {
    writer.close();
  }
}

async function writeToken(writer: ZkClient, path: string, token: string, deadline: number, signal?: AbortSignal) {
  try {
    // The readers compare the znode's contents with the token, so one a lost answer's attempt made is fine.
    await createRetried(writer, path, token, zkLibrary().constants.ZOO_EPHEMERAL, deadline, signal);
  } catch (err) {
    const why = `the write of ${path} through the ensemble failed: ${(err as Error).message}`;
    throw new ZkfError('VERIFY_FAILED', why, { cause: err });
  }
}

async function readBack(
  s: { name: string; connect: string },
  path: string,
  token: string,
  deadline: number,
  o: { signal?: AbortSignal; auth?: string; tls?: TlsMaterial },
) {
  const { signal } = o;
  const reader = await connectZk(s.connect, 10_000, 10_000, signal, o.auth, o.tls).catch((err: ZkfError) => {
    throw err.code === 'CANCELLED' ? err : new ZkfError('VERIFY_FAILED', `${s.name}: ${err.message}`, { host: s.name });
  });
  try {
    const data = await retriedOnConnectionLoss(deadline, signal, async () => {
      await reader.sync(path);
      return (await reader.get(path, false))[1];
    });
    if (String(data) !== token) {
      const why = `${s.name} (${s.connect}) returned "${String(data)}" for ${path}, expected "${token}"`;
      throw new ZkfError('VERIFY_FAILED', why, { host: s.name });
    }
    return s.name;
  } catch (err) {
    if (err instanceof ZkfError) throw err;
    const why = `${s.name} (${s.connect}) cannot read ${path}: ${(err as Error).message}`;
    throw new ZkfError('VERIFY_FAILED', why, { host: s.name, cause: err });
  } finally {
    reader.close();
  }
}

/** The npm client's errors start with ZooKeeper's return code ("-4 connection loss"). */
function zkCode(err: Error): number {
  return Number(/^(-?\d+) /.exec(err.message)?.[1] ?? NaN);
}

/**
 * A create, made again when a lost connection interrupted it (see retriedOnConnectionLoss); a retry that finds
 * the znode there takes it for the one the attempt whose answer was lost made.
 */
export function createRetried(
  client: ZkClient,
  path: string,
  data: string | Buffer,
  flags: number,
  deadline: number,
  signal?: AbortSignal,
): Promise<void> {
  const { ZNODEEXISTS } = zkLibrary().constants;
  return retriedOnConnectionLoss(deadline, signal, async (attempt) => {
    await client.create(path, data, flags).catch((err: Error) => {
      if (!(attempt > 1 && zkCode(err) === ZNODEEXISTS)) throw err;
    });
  });
}

/**
 * `call` (given its attempt number, from 1) until it answers; made again (after 200 ms) when the connection was
 * lost or the call timed out, until `deadline` (ms since the epoch), then its last error. Any other error is
 * thrown at once.
 */
export async function retriedOnConnectionLoss<T>(
  deadline: number,
  signal: AbortSignal | undefined,
  call: (attempt: number) => Promise<T>,
) {
  const { ZCONNECTIONLOSS, ZOPERATIONTIMEOUT } = zkLibrary().constants;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (err) {
      const lost = [ZCONNECTIONLOSS, ZOPERATIONTIMEOUT].includes(zkCode(err as Error));
      if (!lost || Date.now() >= deadline) throw err;
      await sleep(200, undefined, { signal });
    }
  }
}

/**
 * One write committed through the ensemble (an ephemeral znode, created and deleted: nothing stays): after a
 * reconfig, as the Reconfig guide asks before a removed server stops, and before a server joins (`join.ts`).
 */
export async function committedWrite(client: ZkClient, why: string, deadline: number, signal?: AbortSignal) {
  const path = `/zkfleet-commit-${randomBytes(4).toString('hex')}`;
  await createRetried(client, path, why, zkLibrary().constants.ZOO_EPHEMERAL, deadline, signal);
  await client.delete_(path, -1).catch(() => undefined);
}
