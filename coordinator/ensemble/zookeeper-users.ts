import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readFileOr, writeFileAtomic } from '../../shared/fs-atomic';

/**
 * ZooKeeper digest users zkfleet makes: the super user its own calls authenticate as (reconfig, ACLs, the client
 * check under enforced authentication), and the applications' users of `zookeeper.auth`. Each password is made
 * here once and kept beside the ensemble's state (0600, in a 0700 directory); it is never logged and never sent
 * to a host: the servers get the super user's digest only, and the ACLs carry digests.
 */
export interface DigestUser {
  name: string;
  /** "name:password", what `addauth digest` takes. */
  auth: string;
  /** "name:<base64 of sha1(auth)>", what an ACL's digest id and superDigest compare it with. */
  digest: string;
  /** Where its password is kept. */
  file: string;
}

/** The super user's password file (its name kept from before the applications' users). */
const SUPER_FILE = 'zookeeper-super.secret';
const USERS_DIR = 'zookeeper-users';

export function superUser(stateDir: string): Promise<DigestUser> {
  return digestUser('super', path.join(stateDir, SUPER_FILE));
}

export function applicationUser(stateDir: string, name: string): Promise<DigestUser> {
  return digestUser(name, path.join(stateDir, USERS_DIR, `${name}.secret`));
}

/** Where an application user's password is kept (shown to the operator, never the password). */
export function applicationUserFile(stateDir: string, name: string): string {
  return path.join(stateDir, USERS_DIR, `${name}.secret`);
}

async function digestUser(name: string, file: string): Promise<DigestUser> {
  let password = (await readFileOr(file))?.trim();
  if (!password) {
    password = randomBytes(24).toString('base64url');
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, `${password}\n`, { mode: 0o600 });
  }
  return { ...digestOf(name, password), file };
}

export function digestOf(name: string, password: string): { name: string; auth: string; digest: string } {
  const auth = `${name}:${password}`;
  return { name, auth, digest: `${name}:${createHash('sha1').update(auth).digest('base64')}` };
}
