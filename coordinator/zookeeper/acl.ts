/**
 * The registry root's ACL, pure: the writers may do everything under it, the other named users read; while
 * anonymous clients are still allowed (no enforcement), anyone reads too, so consumers keep working as they move
 * to authentication. zkfleet's super user needs no entry: ZooKeeper lets it through every ACL.
 */
export interface AclEntry {
  perms: number;
  scheme: string;
  auth: string;
}

/** ZooKeeper's permission bits (ZooDefs.Perms). */
export const PERMS = Object.freeze({ read: 1, write: 2, create: 4, delete: 8, admin: 16, all: 31 });

export function registryAcl(
  users: Array<{ name: string; digest: string }>,
  writers: string[],
  enforce: boolean,
): AclEntry[] {
  const entries = users.map((u) => ({
    perms: writers.includes(u.name) ? PERMS.all : PERMS.read,
    scheme: 'digest',
    auth: u.digest,
  }));
  return enforce ? entries : [...entries, { perms: PERMS.read, scheme: 'world', auth: 'anyone' }];
}

/** The same entries, in whatever order ZooKeeper returns them. */
export function sameAcl(a: AclEntry[], b: AclEntry[]): boolean {
  const key = (x: AclEntry[]) =>
    x
      .map((e) => `${e.scheme}:${e.auth}:${e.perms}`)
      .sort()
      .join(' ');
  return key(a) === key(b);
}

/** "dubbo: all, ops: read, anyone: read" for the progress. */
export function describeAcl(acl: AclEntry[]): string {
  const who = (e: AclEntry) => (e.scheme === 'world' ? 'anyone' : e.auth.slice(0, e.auth.indexOf(':')));
  return acl
    .map((e) => `${who(e)}: ${e.perms === PERMS.all ? 'all' : e.perms === PERMS.read ? 'read' : e.perms}`)
    .join(', ');
}
