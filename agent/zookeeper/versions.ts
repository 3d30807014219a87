import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ZooKeeperStatus } from '../../shared/generated/wire';
import { restartPending } from './restart-pending';
import type { StateFile, TreeState } from '../daemon/state';
import { linkTarget, versionOf } from '../artifacts/trees';

/**
 * The versions a status shows: what the links point at, what waits for the server's restart, the JDK the
 * running JVM runs from (its executable's tree: a flipped link does not move a running process) and why a
 * restart is pending. The running ZooKeeper's own version comes from `srvr`. `pid` is awaited only where it
 * matters, so the trees are read while the caller still asks for it.
 */
export async function versionsOf(state: StateFile, pid: Promise<number>): Promise<ZooKeeperStatus> {
  const s = await state.read();
  const zk = s.zookeeper!;
  const zkLink = path.dirname(path.dirname(zk.cfgFile));
  const zkPlace = s.trees?.zookeeper ?? { installDir: path.dirname(zkLink), linkPath: zkLink };
  const jdkPlace = s.trees?.jdk ?? { installDir: path.dirname(zk.jdkHome), linkPath: zk.jdkHome };
  const previous = s.activations?.at(-2);
  const [zookeeperInstalled, jdkInstalled, zookeeperStaged, jdkStaged, jdkRunning, pending, zkPrev, jdkPrev] =
    await Promise.all([
      current(zkPlace),
      current(jdkPlace),
      versionOf(zkPlace.installDir, zkPlace.pending),
      versionOf(jdkPlace.installDir, jdkPlace.pending),
      pid.then((p) => (p ? runningJdk(p, jdkPlace.installDir) : '')),
      restartPending(state, { pid }),
      versionOf(zkPlace.installDir, previous?.zookeeper),
      versionOf(jdkPlace.installDir, previous?.jdk),
    ]);
  return {
    zookeeperInstalled,
    jdkInstalled,
    zookeeperStaged,
    jdkStaged,
    jdkRunning,
    restartPending: pending,
    zookeeperPrevious: zkPrev,
    jdkPrevious: jdkPrev,
  };
}

async function current(place: TreeState): Promise<string> {
  return versionOf(place.installDir, await linkTarget(place));
}

/** The version of the JDK tree a process's executable is in; its path when it is not in one of ours. */
export async function runningJdk(pid: number, installDir: string): Promise<string> {
  const exe = await fs.readlink(`/proc/${pid}/exe`).catch(() => '');
  if (!exe) return '';
  const rel = path.relative(installDir, exe);
  if (rel.startsWith('..')) return exe;
  const tree = rel.split(path.sep)[0];
  return (await versionOf(installDir, tree)) || tree;
}
