import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readFileOr, writeFileAtomic } from '../../shared/fs-atomic';

/**
 * The ZooKeeper super user zkfleet's own calls authenticate as (reconfig; later the ACLs). Its password is made
 * here once, kept beside the ensemble's state (0600), and never leaves this machine: the servers get only its
 * digest, as ZooKeeper's DigestAuthenticationProvider.superDigest.
 */
export interface SuperUser {
  /** "super:<password>", what `addauth digest` takes. */
  auth: string;
  /** "super:<base64 of sha1(auth)>", what the servers compare it with. */
  digest: string;
}

const FILE = 'zookeeper-super.secret';

export async function superUser(stateDir: string): Promise<SuperUser> {
  const file = path.join(stateDir, FILE);
  let password = (await readFileOr(file))?.trim();
  if (!password) {
    password = randomBytes(24).toString('base64url');
    await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, `${password}\n`, { mode: 0o600 });
  }
  return superUserOf(password);
}

export function superUserOf(password: string): SuperUser {
  const auth = `super:${password}`;
  return { auth, digest: `super:${createHash('sha1').update(auth).digest('base64')}` };
}
