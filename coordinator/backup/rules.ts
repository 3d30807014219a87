import type { Statuses } from '../zookeeper/quorum';
import { byCodePoint } from '../../shared/names';

/**
 * The rules of backups, pure: which server a backup is read from, what a backup is named, which old
 * ones go, and what a restore will do.
 */

export const zxidOf = (hex: string): bigint => (/^0x[0-9a-f]+$/i.test(hex) ? BigInt(hex) : 0n);

/**
 * A serving follower (an observer will do), never the leader: reading a dataDir costs disk and the leader's
 * disk is the ensemble's write path. Of those, the one furthest ahead.
 */
export function pickSource<T extends { name: string }>(servers: T[], statuses: Statuses): T | { refused: string } {
  const ok = (h: T) => {
    const s = statuses.get(h.name);
    return s && !(s instanceof Error) ? s : undefined;
  };
  if (!servers.some((h) => ok(h)?.mode === 'leader')) {
    return { refused: 'no leader: the ensemble is not serving, so no server is known to hold the latest data' };
  }
  const candidates = servers
    .filter((h) => ['follower', 'observer'].includes(ok(h)?.mode ?? '') && ok(h)!.listening)
    .sort((a, b) => (zxidOf(ok(b)!.zxid) > zxidOf(ok(a)!.zxid) ? 1 : -1));
  return candidates[0] ?? { refused: 'no serving follower to read from (a backup never loads the leader)' };
}

/** dubbo-zk-20261126T220102Z-0x200000abc: sorts by time, says which data. */
export function backupName(ensemble: string, at: Date, lastZxid: string): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${ensemble}-${stamp}-${lastZxid}`;
}

/** The verified backups beyond the newest `keep`, to remove (unverified ones are never counted as kept). */
export function beyondKeep<T extends { name: string; createdAt: string; verified: boolean }>(
  all: T[],
  keep: number,
): T[] {
  return all
    .filter((b) => b.verified)
    .sort((a, b) => byCodePoint(b.createdAt, a.createdAt))
    .slice(keep);
}

export interface RestoreFacts {
  ensemble: string;
  backup: {
    name: string;
    createdAt: string;
    source: string;
    zookeeperVersion: string;
    lastZxid: string;
    nodes: number;
  };
  hosts: Array<{ name: string; dataDir: string; dataLogDir: string; running: boolean; zxid: string }>;
  logs: number;
}

/** What a restore will do, step by step, with a warning when the servers hold newer data than the backup. */
export function restorePlan(f: RestoreFacts): { lines: string[]; newer?: string } {
  const b = f.backup;
  const names = f.hosts.map((h) => h.name).join(', ');
  const dirs = [...new Set(f.hosts.flatMap((h) => [h.dataDir, h.dataLogDir]))].join(' and ');
  const lines = [
    `restore ${f.ensemble} from ${b.name}`,
    `  (taken ${b.createdAt} from ${b.source}, ZooKeeper ${b.zookeeperVersion}, zxid ${b.lastZxid}, ${b.nodes} znodes)`,
    `  1. stop every server: ${names} (the ensemble serves nothing until step 4)`,
    `  2. on each host, move ${dirs} aside: renamed to <dir>.zkfleet-aside-<time>, never deleted`,
    `  3. place the backup's snapshot and ${f.logs} transaction log(s); each server keeps its myid`,
    '  4. start every server, wait for one leader and all synced, then the client check',
  ];
  const newest = f.hosts.reduce((m, h) => (zxidOf(h.zxid) > m ? zxidOf(h.zxid) : m), 0n);
  if (newest <= zxidOf(b.lastZxid)) return { lines };
  const newer =
    `the ensemble holds newer data (zxid 0x${newest.toString(16)}) than the backup (${b.lastZxid}): what was ` +
    'written since is gone from the servers afterwards (it stays in the moved-aside directories)';
  return { lines: [...lines, `WARNING: ${newer}`], newer };
}
