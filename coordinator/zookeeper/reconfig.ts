import { ZkfError } from '../../shared/errors';
import { dynamicMembers } from '../../shared/zookeeper/zoo-cfg';
import { committedWrite, connectZk, retriedOnConnectionLoss, type ZkClient } from './client';

/**
 * ZooKeeper's dynamic reconfiguration through its client API (3.5.3+), as the super user: one change, then a
 * committed write, as the Reconfig guide asks before a removed server is stopped. A call whose answer a lost
 * connection took is not made twice: the config is read first, and a change already in it is done.
 */
export interface ReconfigChange {
  /** Dynamic-file lines of the servers that join: `server.4=zk4.od.com:2888:3888:participant;0.0.0.0:2181`. */
  joining: string[];
  /** The myids that leave. */
  leaving: number[];
}

const RECONFIG_MS = 30_000;

export async function reconfigure(
  connect: string,
  superAuth: string,
  change: ReconfigChange,
  signal?: AbortSignal,
): Promise<string> {
  const deadline = Date.now() + RECONFIG_MS;
  const client = await connectZk(connect, 10_000, 10_000, signal, superAuth);
  try {
    const config = await retriedOnConnectionLoss(deadline, signal, async () => {
      const now = await configOf(client);
      if (applied(now, change)) return now;
      const joining = change.joining.length ? change.joining.join(',') : null;
      const leaving = change.leaving.length ? change.leaving.join(',') : null;
      return configText(await client.reconfig(joining, leaving, null, -1));
    }).catch((err: Error) => {
      throw new ZkfError('COMMAND_FAILED', `reconfig ${describe(change)} failed: ${err.message}`, { cause: err });
    });
    await committedWrite(client, 'committed after a reconfig', deadline, signal);
    return config;
  } finally {
    client.close();
  }
}

/** Whether the config already holds the change: each joiner's line with its role, no leaver. */
function applied(config: string, change: ReconfigChange): boolean {
  const members = new Set(dynamicMembers(config).split(','));
  const asMember = (line: string) => dynamicMembers(line);
  return (
    change.joining.every((l) => members.has(asMember(l))) &&
    change.leaving.every((id) => !members.has(String(id)) && !members.has(`${id}(observer)`))
  );
}

async function configOf(client: ZkClient): Promise<string> {
  return configText(await client.getconfig(false));
}

/** The npm client answers a config read with [stat, data] and a reconfig with the data alone. */
function configText(reply: unknown): string {
  const data = Array.isArray(reply) ? reply[1] : reply;
  return Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
}

function describe(c: ReconfigChange): string {
  const parts = [...c.joining.map((l) => `add ${l.split('=')[0]}`), ...c.leaving.map((id) => `remove server.${id}`)];
  return parts.join(', ');
}
