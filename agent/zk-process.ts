import { execFile } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZkfError } from '../shared/errors';
import { killPoint } from '../shared/fault';
import { readFileOr } from '../shared/fs-atomic';
import { sha256 } from '../shared/hash';
import type { StateFile, ZooKeeperState } from './state';

/** The identity of the files a server runs with: a restart is due while the running one differs. */
export const configHash = (cfg: string, javaEnv: string, myid: string) => sha256(`${cfg}\0${javaEnv}\0${myid}`);

/** A dataDir "holds data" once ZooKeeper wrote snapshots or transaction logs (version-2/). */
export async function holdsData(...dirs: string[]): Promise<boolean> {
  for (const d of dirs) {
    const names = await fs.readdir(path.join(d, 'version-2')).catch(() => [] as string[]);
    const isData = (n: string) => /^(snapshot|log)\./.test(n) || n === 'acceptedEpoch' || n === 'currentEpoch';
    if (names.some(isData)) return true;
  }
  return false;
}

export async function readMyid(dataDir: string): Promise<number> {
  const text = await readFileOr(path.join(dataDir, 'myid'));
  const n = Number(text?.trim());
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** Alive and not a zombie: a killed server whose parent has not reaped it yet is gone for our purposes. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const pidFileOf = (zk: { dataDir: string }) => path.join(zk.dataDir, 'zookeeper_server.pid');

/** The server's pid from zkServer.sh's pid file, 0 when it is not running. */
export async function serverPid(dataDir: string): Promise<number> {
  const pid = Number((await readFileOr(pidFileOf({ dataDir })))?.trim());
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return 0;
  // A recycled pid is not our server: the command line must be a ZooKeeper JVM.
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes('org.apache.zookeeper') ? pid : 0;
}

/** The last lines of the newest server log (the .out of zkServer.sh, or a .log). */
export async function logTail(zk: ZooKeeperState, lines: number): Promise<string> {
  const names = await fs.readdir(zk.logDir).catch(() => [] as string[]);
  const logs = names.filter((n) => n.endsWith('.out') || n.endsWith('.log'));
  const stats = await Promise.all(logs.map(async (n) => ({ n, m: (await fs.stat(path.join(zk.logDir, n))).mtimeMs })));
  const newest = stats.sort((a, b) => b.m - a.m)[0];
  if (!newest) return '';
  const text = await fs.readFile(path.join(zk.logDir, newest.n), 'utf8').catch(() => '');
  return text
    .split('\n')
    .slice(-lines - 1)
    .join('\n')
    .slice(-8000);
}

function zkServerSh(zk: ZooKeeperState, action: 'start' | 'stop', signal?: AbortSignal): Promise<string> {
  const env = { ...process.env, JAVA_HOME: zk.jdkHome, ZOO_LOG_DIR: zk.logDir, ZOOPIDFILE: pidFileOf(zk) };
  const script = path.join(zk.home, 'bin', 'zkServer.sh');
  return new Promise((resolve, reject) => {
    execFile(script, [action, zk.cfgFile], { cwd: zk.home, timeout: 60_000, env, signal }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout + stderr);
      const tail = (stdout + stderr).trim().split('\n').slice(-5).join(' | ');
      reject(
        new ZkfError('COMMAND_FAILED', `zkServer.sh ${action} failed (exit ${err.code}): ${tail}`, { cause: err }),
      );
    });
  });
}

/** Record which files a server (re)started with, for restartNeeded after an interrupted deploy. */
async function recordStart(state: StateFile, zk: ZooKeeperState): Promise<void> {
  const files = [zk.cfgFile, zk.javaEnvFile, path.join(zk.dataDir, 'myid')];
  const [cfg, env, myid] = await Promise.all(files.map((f) => readFileOr(f)));
  await state.update({ zookeeper: { ...zk, startedWith: configHash(cfg ?? '', env ?? '', myid ?? '') } });
}

export async function stopServer(zk: ZooKeeperState, signal?: AbortSignal): Promise<boolean> {
  const pid = await serverPid(zk.dataDir);
  if (!pid) return false;
  await zkServerSh(zk, 'stop', signal);
  // zkServer.sh stop returns before the JVM is gone: wait on the pid.
  for (let i = 0; i < 600 && pidAlive(pid); i++) await sleep(50, undefined, { signal });
  if (pidAlive(pid)) throw new ZkfError('TIMEOUT', `ZooKeeper (pid ${pid}) did not exit 30 s after zkServer.sh stop`);
  return true;
}

export async function startServer(state: StateFile, zk: ZooKeeperState, signal?: AbortSignal): Promise<boolean> {
  if (await serverPid(zk.dataDir)) return false;
  // zkServer.sh trusts `kill -0` on the pid file: a killed server not yet reaped (a zombie) or a recycled
  // pid makes it say "already running" and start nothing. The pid file is ours to judge: remove it.
  await fs.rm(pidFileOf(zk), { force: true });
  await recordStart(state, zk);
  await fs.mkdir(zk.logDir, { recursive: true });
  await zkServerSh(zk, 'start', signal);
  killPoint('start.after-script');
  if (!(await serverPid(zk.dataDir))) {
    const tail = await logTail(zk, 20);
    throw new ZkfError('COMMAND_FAILED', `zkServer.sh start returned but no server is running; log tail:\n${tail}`);
  }
  return true;
}
