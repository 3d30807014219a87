import { spawn } from 'node:child_process';
import { openSync, closeSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZkfError } from '../../shared/errors';
import { readFileOr } from '../../shared/fs-atomic';
import { sha256 } from '../../shared/hash';
import { cfgSettings } from '../../shared/zookeeper/zoo-cfg';
import { exitReason } from '../daemon/run';
import type { RunIdentity, RunParts, ZooKeeperState } from '../daemon/state';
import { LOG_FILE } from './logging';
import { storesOnDisk } from '../tls/server-stores';

export function identity(p: RunParts): RunIdentity {
  const d = (s: string) => sha256(s).slice(0, 16);
  // With reconfig, ZooKeeper rewrites zoo.cfg itself: what the server runs with is its settings, not its text.
  const files = { cfg: d(cfgSettings(p.cfg)), javaEnv: d(p.javaEnv), myid: d(p.myid), logConfig: d(p.logConfig) };
  // '' without TLS: what a server started before the stores existed recorded (no part at all) reads the same.
  return { ...p, ...files, tls: p.tls ? d(p.tls) : '' };
}

/** The one digest agents before 0.3 recorded (files, user, supervisor; no trees). */
export function legacyIdentity(p: FileParts): string {
  return sha256([p.cfg, p.javaEnv, p.myid, p.logConfig, p.user, p.supervisor].join('\0'));
}

const PART_NAMES: Record<keyof RunParts, string> = {
  cfg: 'zoo.cfg',
  javaEnv: 'java.env',
  myid: 'myid',
  logConfig: 'the logging configuration',
  tls: 'the TLS key and trust stores',
  user: 'the user',
  supervisor: 'the supervisor',
  zookeeperTree: 'the ZooKeeper tree',
  jdkTree: 'the JDK tree',
};

/** Why a server started with `then` would run differently now: "zoo.cfg changed", "the JDK tree jdk-11 → jdk-17". */
export function identityDiff(then: RunIdentity | undefined, now: RunIdentity): string[] {
  if (!then) return [];
  return (Object.keys(PART_NAMES) as Array<keyof RunParts>)
    .filter((k) => (then[k] ?? '') !== (now[k] ?? ''))
    .map((k) =>
      k.endsWith('Tree') || k === 'user' || k === 'supervisor'
        ? `${PART_NAMES[k]} ${then[k] || '-'} → ${now[k]}`
        : `${PART_NAMES[k]} changed`,
    );
}

export function treeParts(trees: { zookeeper: string; jdk: string }): Pick<RunParts, 'zookeeperTree' | 'jdkTree'> {
  return { zookeeperTree: trees.zookeeper, jdkTree: trees.jdk };
}

/** A server's parts other than its trees. */
export type FileParts = Omit<RunParts, 'zookeeperTree' | 'jdkTree'>;

/** The files on disk now, with the user and supervisor. */
export async function partsOnDisk(zk: ZooKeeperState): Promise<FileParts> {
  const files = [zk.cfgFile, zk.javaEnvFile, path.join(zk.dataDir, 'myid'), zk.logConfigFile];
  const [cfg, javaEnv, myid, logConfig] = await Promise.all(files.map(async (f) => (await readFileOr(f)) ?? ''));
  const tls = await storesOnDisk(zk.tlsDir);
  return { cfg, javaEnv, myid, logConfig, tls, user: zk.user, supervisor: zk.supervisor };
}

/** The identity of what is on disk now, with the trees a start now would run from. */
export async function identityOnDisk(
  zk: ZooKeeperState,
  trees: { zookeeper: string; jdk: string },
): Promise<RunIdentity> {
  return identity({ ...(await partsOnDisk(zk)), ...treeParts(trees) });
}

/** A dataDir "holds data" once ZooKeeper wrote snapshots or transaction logs (version-2/). */
export async function holdsData(...dirs: string[]): Promise<boolean> {
  for (const d of dirs) {
    const names = await fs.readdir(path.join(d, 'version-2')).catch(() => [] as string[]);
    const isData = (n: string) => /^(snapshot|log)\./.test(n) || n === 'acceptedEpoch' || n === 'currentEpoch';
    if (names.some(isData)) return true;
  }
  return false;
}

/** Whether snapshots and transaction logs are there: 3.5+ refuses logs without a snapshot. */
export async function dataFiles(...dirs: string[]): Promise<{ snapshot: boolean; txnlog: boolean }> {
  const names = (await Promise.all(dirs.map((d) => fs.readdir(path.join(d, 'version-2')).catch(() => [])))).flat();
  return { snapshot: names.some((n) => n.startsWith('snapshot.')), txnlog: names.some((n) => n.startsWith('log.')) };
}

export async function readMyid(dataDir: string): Promise<number> {
  const text = await readFileOr(path.join(dataDir, 'myid'));
  const n = Number(text?.trim());
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * What is left of a process: "gone" once it is a zombie alone (a killed server whose parent has not reaped
 * it yet is gone for our purposes), "leaving" while its main thread is a zombie and other threads are still
 * exiting — a JVM's are, for ~0.2 s, and they still hold what it had open (its client port).
 */
export function pidState(pid: number): 'running' | 'leaving' | 'gone' {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return 'gone';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command's ")": the state is the first, the number of threads the 18th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z') return 'running';
    return Number(fields[17]) > 1 ? 'leaving' : 'gone';
  } catch {
    return 'gone';
  }
}

export const pidAlive = (pid: number): boolean => pidState(pid) !== 'gone';

/**
 * A live ZooKeeper JVM with this pid (a recycled pid is not our server). One that is leaving still counts:
 * its command line is gone with its main thread, but its port is not free yet.
 */
export async function isServerPid(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const state = pidState(pid);
  if (state !== 'running') return state === 'leaving';
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes('org.apache.zookeeper');
}

export const pidFileOf = (zk: { dataDir: string }) => path.join(zk.dataDir, 'zookeeper_server.pid');

/** The server's pid from the pid file (zkServer.sh's place for it), 0 when it is not running. */
export async function pidFromFile(dataDir: string): Promise<number> {
  const pid = Number((await readFileOr(pidFileOf({ dataDir })))?.trim());
  return (await isServerPid(pid)) ? pid : 0;
}

/** The last lines of the server's log (the rotated log, or the console output when that is newer). */
export async function logTail(zk: ZooKeeperState, lines: number): Promise<string> {
  const files = [path.join(zk.logDir, LOG_FILE), path.join(zk.logDir, 'zookeeper.out')];
  const stats = await Promise.all(
    files.map(async (f) => ({ f, m: (await fs.stat(f).catch(() => undefined))?.mtimeMs ?? -1 })),
  );
  const newest = stats.filter((s) => s.m >= 0).sort((a, b) => b.m - a.m)[0];
  if (!newest) return '';
  const text = await fs.readFile(newest.f, 'utf8').catch(() => '');
  return text
    .split('\n')
    .slice(-lines - 1)
    .join('\n')
    .slice(-8000);
}

/** The console output of a foreground server, kept bounded: a file over `maxBytes` is moved to .1 first. */
async function consoleOut(zk: ZooKeeperState, maxBytes: number): Promise<number> {
  const out = path.join(zk.logDir, 'zookeeper.out');
  const st = await fs.stat(out).catch(() => undefined);
  if (st && st.size > maxBytes) await fs.rename(out, `${out}.1`);
  const fd = openSync(out, 'a', 0o640);
  await fs.chown(out, zk.uid, zk.gid).catch(() => undefined);
  return fd;
}

/**
 * The agent as supervisor: the server runs in the foreground (`zkServer.sh start-foreground`, which execs the
 * JVM) as the agent's detached child, as its own user, its console to a bounded file. The exit of a child
 * this agent process started is known with its reason; a server adopted from an earlier agent process (after
 * an agent restart) is watched by its pid.
 */
export class AgentRunner {
  /** How the newest child this process started ended, once Node has reaped it. */
  private readonly exits = new Map<number, Promise<string>>();

  async pid(zk: ZooKeeperState): Promise<number> {
    return pidFromFile(zk.dataDir);
  }

  /**
   * Why the server went away, when this process started it. A killed child reads as gone (a zombie) before
   * Node has reaped it and run its exit event, so the answer is awaited — briefly: the reap comes at once.
   */
  async exitOf(pid: number, waitMs = 2000): Promise<string | undefined> {
    const exit = this.exits.get(pid);
    if (!exit) return undefined;
    const done = new AbortController();
    const timer = sleep(waitMs, undefined, { signal: done.signal }).then(
      () => undefined,
      () => undefined,
    );
    return Promise.race([exit, timer]).finally(() => done.abort());
  }

  async start(zk: ZooKeeperState): Promise<number> {
    await fs.rm(pidFileOf(zk), { force: true });
    const fd = await consoleOut(zk, 10 << 20);
    const env = { ...process.env, JAVA_HOME: zk.jdkHome, ZOO_LOG_DIR: zk.logDir, ZOOPIDFILE: pidFileOf(zk) };
    const child = spawn(path.join(zk.home, 'bin', 'zkServer.sh'), ['start-foreground', zk.cfgFile], {
      cwd: zk.dataDir,
      env,
      uid: zk.uid,
      gid: zk.gid,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid!));
      child.once('error', (err) =>
        reject(new ZkfError('COMMAND_FAILED', `cannot start zkServer.sh: ${err.message}`, { cause: err })),
      );
    });
    // Only the newest child is ever asked about (the server that runs now): the map stays one entry long.
    this.exits.clear();
    this.exits.set(pid, new Promise((resolve) => child.once('exit', (code, sig) => resolve(exitReason(code, sig)))));
    child.unref();
    await fs.writeFile(pidFileOf(zk), `${pid}\n`, { mode: 0o644 });
    // In the server's own directory, the server's own file (zkServer.sh stop, run as it, removes it).
    await fs.chown(pidFileOf(zk), zk.uid, zk.gid);
    return pid;
  }

  /** SIGTERM (a clean shutdown), then SIGKILL after 30 s; waits until the process is gone. */
  async stop(zk: ZooKeeperState, signal?: AbortSignal): Promise<boolean> {
    const pid = await this.pid(zk);
    if (!pid) return false;
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 600 && pidAlive(pid); i++) await sleep(50, undefined, { signal });
    if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && pidAlive(pid); i++) await sleep(50, undefined, { signal });
    await fs.rm(pidFileOf(zk), { force: true });
    return true;
  }
}
