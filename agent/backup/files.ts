/**
 * Which files of a dataDir make a backup, pure. ZooKeeper names them by zxid (hex): `snapshot.<zxid>` is a
 * fuzzy snapshot taken from that zxid on, `log.<zxid>` a transaction log whose first transaction is that
 * zxid. A consistent backup is the newest snapshot and every log that can hold a transaction after it: the
 * last log that starts at or before the snapshot's zxid, and all later ones.
 */
export interface ZxidFile {
  name: string;
  zxid: bigint;
}

export function zxidFiles(names: string[], prefix: 'snapshot' | 'log'): ZxidFile[] {
  const re = new RegExp(`^${prefix}\\.([0-9a-f]+)$`);
  return names
    .map((name) => ({ name, m: re.exec(name) }))
    .filter((f): f is { name: string; m: RegExpExecArray } => !!f.m)
    .map((f) => ({ name: f.name, zxid: BigInt(`0x${f.m[1]}`) }))
    .sort((a, b) => (a.zxid < b.zxid ? -1 : a.zxid > b.zxid ? 1 : 0));
}

export function backupSet(
  snapshots: ZxidFile[],
  logs: ZxidFile[],
): { snapshot: ZxidFile; logs: ZxidFile[] } | undefined {
  const snapshot = snapshots.at(-1);
  if (!snapshot) return undefined;
  const before = logs.filter((l) => l.zxid <= snapshot.zxid).at(-1);
  const after = logs.filter((l) => l.zxid > snapshot.zxid);
  return { snapshot, logs: before ? [before, ...after] : after };
}

export const hexZxid = (z: bigint) => `0x${z.toString(16)}`;
