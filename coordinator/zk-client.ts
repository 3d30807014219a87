import { randomBytes } from 'node:crypto';
import { ZkfError } from '../shared/errors';

// The npm `zookeeper` package: the native C client, as Dubbo's own ZooKeeper client sees the ensemble.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ZooKeeper = require('zookeeper') as ZkCtor;
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

/** Connect with a deadline; the client is closed if the deadline passes. */
export function connectZk(connect: string, timeoutMs = 10_000, sessionTimeoutMs = 10_000): Promise<ZkClient> {
  return new Promise((resolve, reject) => {
    // response_counter_limit: the npm client closes its own handle as "expired" after that many failed
    // reads in a row (default 10: a server restart in a rolling change is enough). Keep retrying, as the
    // Java client does, until the server says the session expired.
    const client = new ZooKeeper({
      connect,
      timeout: sessionTimeoutMs,
      debug_level: ZooKeeper.constants.ZOO_LOG_LEVEL_ERROR,
      host_order_deterministic: false,
      response_counter_limit: 100_000,
    });
    const timer = setTimeout(() => {
      client.close();
      reject(new ZkfError('VERIFY_FAILED', `no ZooKeeper session with ${connect} within ${timeoutMs} ms`));
    }, timeoutMs);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.init({});
  });
}

export type { ZkClient };

/**
 * The client check of a deploy: write a znode through the ensemble's connection string, then read it back
 * from every server on its own (after `sync`, so a lagging follower does not pass by luck).
 */
export async function verifyEnsemble(
  servers: Array<{ name: string; connect: string }>,
): Promise<{ path: string; checked: string[] }> {
  const all = servers.map((s) => s.connect).join(',');
  const token = `${new Date().toISOString()} ${randomBytes(6).toString('hex')}`;
  const path = `/zkfleet-verify-${randomBytes(4).toString('hex')}`;
  const writer = await connectZk(all);
  try {
    await writer.create(path, token, ZooKeeper.constants.ZOO_EPHEMERAL);
    const checked = await Promise.all(
      servers.map(async (s) => {
        const reader = await connectZk(s.connect).catch((err: Error) => {
          throw new ZkfError('VERIFY_FAILED', `${s.name}: ${err.message}`, { host: s.name });
        });
        try {
          await reader.sync(path);
          const [, data] = await reader.get(path, false);
          if (String(data) !== token)
            throw new ZkfError(
              'VERIFY_FAILED',
              `${s.name} (${s.connect}) returned "${String(data)}" for ${path}, expected "${token}"`,
              { host: s.name },
            );
          return s.name;
        } catch (err) {
          throw err instanceof ZkfError
            ? err
            : new ZkfError('VERIFY_FAILED', `${s.name} (${s.connect}) cannot read ${path}: ${(err as Error).message}`, {
                host: s.name,
                cause: err,
              });
        } finally {
          reader.close();
        }
      }),
    );
    await writer.delete_(path, -1).catch(() => undefined);
    return { path, checked };
  } finally {
    writer.close();
  }
}
