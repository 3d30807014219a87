import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZkfError } from '../../shared/errors';
import type { Host } from '../daemon/host';
import { run, runFailure } from '../daemon/run';

export interface Account {
  name: string;
  uid: number;
  gid: number;
}

const USER = /^[a-z_][a-z0-9_-]{0,31}$/;

/** The account from the host's /etc/passwd (under the agent's root), or undefined. */
export async function lookupUser(host: Host, name: string): Promise<Account | undefined> {
  const passwd = await fs.readFile(host.path('/etc/passwd'), 'utf8').catch(() => '');
  const line = passwd.split('\n').find((l) => l.split(':')[0] === name);
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { name, uid: Number(uid), gid: Number(gid) };
}

/**
 * The system user the server runs as, made when missing. The agent's own unit keeps /etc read-only, so under
 * systemd useradd runs in the mount namespace of PID 1, outside that sandbox: `nsenter` (util-linux, on every
 * host) works the same on systemd 219 as on today's, where `systemd-run --wait --pipe` needs 235. The flags are
 * ones both families' useradd take (RHEL 7 and Debian alike).
 */
export async function ensureUser(
  host: Host,
  name: string,
  home: string,
  dryRun: boolean,
): Promise<{ account?: Account; made: boolean }> {
  if (!USER.test(name)) throw new ZkfError('INVALID_ARGUMENT', `"${name}" is not a user name`);
  const found = await lookupUser(host, name);
  if (found || dryRun) return { account: found, made: !found };
  const nologin = NOLOGIN.find((p) => existsSync(host.path(p))) ?? '/bin/false';
  const root = host.config.root === '/' ? undefined : host.config.root;
  const underSystemd = !!process.env.INVOCATION_ID && !root;
  const [cmd, argv] = useraddCommand(name, home, { nologin, root, underSystemd });
  await runUseradd(host, name, cmd, argv);
  const account = await lookupUser(host, name);
  if (!account) throw new ZkfError('COMMAND_FAILED', `useradd ${name} ran, but ${name} is not in /etc/passwd`);
  host.log.info('user created', { user: name, uid: account.uid });
  return { account, made: true };
}

/** The shell of an account that must not log in: RHEL 7 has both paths, older hosts only /sbin's. */
const NOLOGIN = ['/usr/sbin/nologin', '/sbin/nologin'];

/**
 * The command that makes the server's account: flags both families' useradd take (RHEL 7's shadow-utils 4.1 and
 * Debian's 4.13 alike); under systemd in PID 1's mount namespace, the agent's own keeping /etc read-only.
 */
export function useraddCommand(
  name: string,
  home: string,
  o: { nologin: string; root?: string; underSystemd: boolean },
): [string, string[]] {
  const args = ['--system', '--user-group', '--no-create-home', '--home-dir', home, '--shell', o.nologin];
  if (o.root) args.push('--root', o.root);
  return o.underSystemd
    ? ['nsenter', ['--target', '1', '--mount', '--', 'useradd', ...args, name]]
    : ['useradd', [...args, name]];
}

/**
 * Run useradd, once more after a second if it fails and the account is still missing (one made meanwhile is
 * fine): useradd gives up at once when another program holds the passwd lock ("try again later"). A CI run
 * saw one attempt fail with nothing on stderr, so the exit status goes into the message.
 */
async function runUseradd(host: Host, name: string, cmd: string, argv: string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run(cmd, argv, { timeout: 30_000 });
      return;
    } catch (err) {
      const why = runFailure(cmd, err);
      if (await lookupUser(host, name)) return;
      if (attempt >= 2) throw new ZkfError('COMMAND_FAILED', `cannot create the user ${name}: ${why}`, { cause: err });
      host.log.warn('useradd failed; trying once more', { user: name, error: why });
      await sleep(1000);
    }
  }
}

/**
 * Hand a directory tree to the account: everything under it that is not already its own (the first deploy
 * that switches from root re-owns existing data; no byte is rewritten). Returns how many entries changed.
 */
export async function ownTree(dir: string, a: Account): Promise<number> {
  let changed = 0;
  const walk = async (p: string): Promise<void> => {
    const st = await fs.lstat(p).catch(() => undefined);
    if (!st) return;
    if (st.uid !== a.uid || st.gid !== a.gid) {
      await fs.lchown(p, a.uid, a.gid);
      changed++;
    }
    if (st.isDirectory()) for (const n of await fs.readdir(p)) await walk(path.join(p, n));
  };
  await walk(dir);
  return changed;
}
