import { ZkfError } from '../../shared/errors';
import { applicationUser } from '../ensemble/zookeeper-users';
import { describeAcl, registryAcl, sameAcl, type AclEntry } from '../zookeeper/acl';
import { connectZk, createRetried, retriedOnConnectionLoss, zkLibrary } from '../zookeeper/client';
import type { DeployRun } from './run';

/**
 * Phase (after the quorum is verified), with `zookeeper.auth`: the registry's root exists and carries the ACL the
 * file asks for, set as zkfleet's super user; unchanged when it already does. Each user's password is made once
 * beside the state (0600) and shown by its path only.
 */
export async function applyRegistryAcl(run: DeployRun): Promise<void> {
  const auth = run.e.spec.zookeeper.auth;
  if (!auth || !run.zk.length) return;
  const users = await Promise.all(auth.users.map((u) => applicationUser(run.e.stateDir, u)));
  const acl = registryAcl(users, auth.writers ?? auth.users, auth.enforce);
  const files = Object.fromEntries(users.map((u) => [u.name, u.file]));
  const result = { path: auth.root, entries: describeAcl(acl), enforced: auth.enforce, users: files };
  if (run.dryRun) {
    run.result.acl = { ...result, changed: true };
    run.progress.note(`${auth.root}: would make sure of the ACL ${result.entries}`);
    return;
  }
  const changed = await run.phase('acl', () =>
    ensureAcl(run, auth.root, acl).catch((err: Error) => {
      const code = err.message.startsWith(`${zkLibrary().constants.ZNOAUTH} `) ? 'PERMISSION_DENIED' : 'UNAVAILABLE';
      throw new ZkfError(code, `setting the ACL of ${auth.root} as zkfleet's super user: ${err.message}`);
    }),
  );
  run.result.acl = { ...result, changed };
  run.progress.note(`${auth.root}: ACL ${result.entries}${changed ? ' (set)' : ' (unchanged)'}`);
}

const ACL_MS = 20_000;

async function ensureAcl(run: DeployRun, root: string, acl: AclEntry[]): Promise<boolean> {
  if (!run.superUser)
    throw new ZkfError('INTERNAL', 'the registry ACL without the super user: checkVersions did not run');
  const { port, tls } = run.zkClient;
  const connect = run.liveZk.map((h) => `${h.address}:${port}`).join(',');
  const client = await connectZk(connect, 10_000, 10_000, run.signal, run.superUser.auth, tls);
  const deadline = Date.now() + ACL_MS;
  try {
    for (const path of ancestors(root)) await createRetried(client, path, '', 0, deadline, run.signal).catch(exists);
    const [current] = await retriedOnConnectionLoss(deadline, run.signal, () => client.get_acl(root));
    if (sameAcl(current, acl)) return false;
    await retriedOnConnectionLoss(deadline, run.signal, () => client.set_acl(root, -1, acl));
    return true;
  } finally {
    client.close();
  }
}

/** /a/b → /a, /a/b: each created when missing (a parent made here is open, as ZooKeeper's default). */
function ancestors(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

function exists(err: Error): void {
  if (!err.message.startsWith(`${zkLibrary().constants.ZNODEEXISTS} `)) throw err;
}
