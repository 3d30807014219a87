import { execFile } from 'node:child_process';
import { sha256 } from '../shared/hash';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZkfError } from '../shared/errors';
import { killPoint } from '../shared/fault';
import { readFileOr, sweepTemps, writeFileAtomic } from '../shared/fs-atomic';
import type { ConfigureZooKeeperRequest__Output } from '../shared/proto-types/zkfleet/v1/ConfigureZooKeeperRequest';
import type { StepResult } from '../shared/proto-types/zkfleet/v1/StepResult';
import type { ZooKeeperStatus } from '../shared/proto-types/zkfleet/v1/ZooKeeperStatus';
import { describeCfgChange, renderZooCfg } from '../shared/zoo-cfg';
import { fourLetterWord, parseMntr, parseSrvr } from './four-letter';
import type { Host } from './host';
import type { StateFile, ZooKeeperState } from './state';

const configHash = (cfg: string, javaEnv: string, myid: string) => sha256(`${cfg}\0${javaEnv}\0${myid}`);

/** Record which files a server (re)started with, for restartNeeded after an interrupted deploy. */
async function recordStart(state: StateFile, zk: ZooKeeperState): Promise<void> {
  const [cfg, env, myid] = await Promise.all([
    readFileOr(zk.cfgFile),
    readFileOr(zk.javaEnvFile),
    readFileOr(path.join(zk.dataDir, 'myid')),
  ]);
  await state.update({ zookeeper: { ...zk, startedWith: configHash(cfg ?? '', env ?? '', myid ?? '') } });
}

/** A dataDir "holds data" once ZooKeeper wrote snapshots or transaction logs (version-2/). */
export async function holdsData(...dirs: string[]): Promise<boolean> {
  for (const d of dirs) {
    const names = await fs.readdir(path.join(d, 'version-2')).catch(() => [] as string[]);
    if (
      names.some(
        (n) => n.startsWith('snapshot.') || n.startsWith('log.') || n === 'acceptedEpoch' || n === 'currentEpoch',
      )
    )
      return true;
  }
  return false;
}

export async function readMyid(dataDir: string): Promise<number> {
  const text = await readFileOr(path.join(dataDir, 'myid'));
  const n = Number(text?.trim());
  return Number.isInteger(n) && n > 0 ? n : 0;
}

const SAFE_FLAGS = /^[A-Za-z0-9_\-=.:,/ +@%]*$/;

/**
 * Render zoo.cfg, java.env and myid; create dataDir and dataLogDir. Refuses to change the myid of a
 * dataDir that holds data: that would make the server rejoin under another identity and corrupt the quorum.
 */
export async function configureZooKeeper(
  host: Host,
  state: StateFile,
  req: ConfigureZooKeeperRequest__Output,
): Promise<StepResult> {
  const installDir = req.installDir || '/opt';
  const home = host.path(path.posix.join(installDir, 'zookeeper'));
  if (!(await fs.stat(path.join(home, 'bin', 'zkServer.sh')).catch(() => undefined))) {
    throw new ZkfError(
      'NOT_FOUND',
      `${path.posix.join(installDir, 'zookeeper')}/bin/zkServer.sh not found: install ZooKeeper first`,
    );
  }
  if (!req.myid || req.myid > 255) throw new ZkfError('INVALID_ARGUMENT', `myid ${req.myid} must be 1-255`);
  if (!req.servers.some((s) => s.id === req.myid))
    throw new ZkfError('INVALID_ARGUMENT', `myid ${req.myid} is not among the servers`);
  const jvmFlags = [host.config.zookeeper.jvmFlags, req.jvmFlags].filter(Boolean).join(' ');
  if (!SAFE_FLAGS.test(jvmFlags))
    throw new ZkfError(
      'INVALID_ARGUMENT',
      `JVM flags "${jvmFlags}" contain characters that are not allowed (quotes, $, backticks, newlines)`,
    );
  const dataDir = host.path(req.dataDir || '/data/zookeeper/data');
  const dataLogDir = host.path(req.dataLogDir || req.dataDir || '/data/zookeeper/logs');
  const self = req.servers.find((s) => s.id === req.myid)!;
  const cfg = renderZooCfg({
    tickTime: req.tickTime || 2000,
    initLimit: req.initLimit || 10,
    syncLimit: req.syncLimit || 5,
    dataDir,
    dataLogDir,
    clientPort: req.clientPort || 2181,
    clientPortAddress: req.clientPortAddress || undefined,
    fourLetterWords: req.fourLetterWords || 'srvr,mntr,ruok',
    autopurgeSnapRetainCount: req.autopurgeSnapRetainCount || 3,
    autopurgePurgeInterval: req.autopurgePurgeInterval,
    adminServerAddress: req.adminServerAddress || undefined,
    adminServerPort: req.adminServerPort || undefined,
    observer: self.observer,
    extra: req.extra ?? {},
    servers: req.servers.map((s) => ({
      id: s.id,
      host: s.host,
      quorumPort: s.quorumPort || 2888,
      electionPort: s.electionPort || 3888,
      observer: s.observer,
    })),
  });
  const jdkHome = host.path(req.javaHome || '/usr/java/jdk');
  const logDir = host.config.zookeeper.logDir ? host.path(host.config.zookeeper.logDir) : path.join(home, 'logs');
  // java.env is sourced by zkEnv.sh: an operator's own `zkServer.sh start` gets the same settings.
  const javaEnv = `# Managed by zkfleet\nexport JAVA_HOME=${jdkHome}\nexport ZOO_LOG_DIR=${logDir}\nexport SERVER_JVMFLAGS="${jvmFlags}"\n`;
  const myidText = `${req.myid}\n`;
  const cfgFile = path.join(home, 'conf', 'zoo.cfg');
  const javaEnvFile = path.join(home, 'conf', 'java.env');

  const [oldCfg, oldEnv, oldMyid] = await Promise.all([
    readFileOr(cfgFile),
    readFileOr(javaEnvFile),
    readMyid(dataDir),
  ]);
  if (oldMyid && oldMyid !== req.myid && (await holdsData(dataDir, dataLogDir))) {
    throw new ZkfError(
      'MYID_CONFLICT',
      `${req.dataDir} holds ZooKeeper data of server ${oldMyid}; refusing to make it server ${req.myid}. Pin this host to myid ${oldMyid} in the ensemble file (zookeeper.myids), or move the data away yourself.`,
    );
  }
  const changes: string[] = [];
  if (oldCfg !== cfg) changes.push(describeCfgChange(oldCfg, cfg));
  if (oldEnv !== javaEnv) changes.push(oldEnv === undefined ? 'java.env written' : 'java.env changed');
  if (oldMyid !== req.myid) changes.push(oldMyid ? `myid ${oldMyid}→${req.myid}` : `myid ${req.myid}`);
  const dirsExist =
    !!(await fs.stat(dataDir).catch(() => undefined)) && !!(await fs.stat(dataLogDir).catch(() => undefined));
  if (!dirsExist) changes.push('data directories created');
  const running = (await serverPid(dataDir)) > 0;

  if (!req.dryRun) {
    await Promise.all([sweepTemps(path.dirname(cfgFile)), sweepTemps(dataDir)]);
    await fs.mkdir(dataDir, { recursive: true, mode: 0o750 });
    await fs.mkdir(dataLogDir, { recursive: true, mode: 0o750 });
    await fs.mkdir(logDir, { recursive: true });
    if (oldCfg !== cfg) await writeFileAtomic(cfgFile, cfg, { mode: 0o644 });
    killPoint('configure.cfg-written');
    if (oldEnv !== javaEnv) await writeFileAtomic(javaEnvFile, javaEnv, { mode: 0o644 });
    if (oldMyid !== req.myid) await writeFileAtomic(path.join(dataDir, 'myid'), myidText, { mode: 0o644 });
    const clientHost = req.clientPortAddress || '127.0.0.1';
    const prev = (await state.read()).zookeeper;
    await state.update({
      zookeeper: {
        startedWith: prev?.startedWith,
        installDir,
        home,
        cfgFile,
        javaEnvFile,
        dataDir,
        dataLogDir,
        clientHost,
        clientPort: req.clientPort || 2181,
        myid: req.myid,
        cfgSha256: sha256(cfg),
        myidSha256: sha256(myidText),
        logDir,
        jdkHome,
      },
    });
  }
  // Due when the running server was started with other files than these, also when the change itself was
  // written by an earlier, interrupted deploy (the coordinator died before the restart).
  const startedWith = (await state.read()).zookeeper?.startedWith;
  const restartNeeded =
    running &&
    (oldCfg !== cfg ||
      oldEnv !== javaEnv ||
      oldMyid !== req.myid ||
      (startedWith !== undefined && startedWith !== configHash(cfg, javaEnv, myidText)));
  return {
    changed: changes.length > 0,
    description: changes.length
      ? (req.dryRun ? 'would change: ' : '') + changes.join('; ')
      : 'zoo.cfg, java.env and myid unchanged',
    restartNeeded,
    path: path.posix.join(installDir, 'zookeeper/conf/zoo.cfg'),
  };
}

/** Alive and not a zombie: a killed server whose parent has not reaped it yet is gone for our purposes. */
function pidAlive(pid: number): boolean {
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

/** The server's pid from zkServer.sh's pid file, 0 when it is not running. */
export async function serverPid(dataDir: string): Promise<number> {
  const pid = Number((await readFileOr(path.join(dataDir, 'zookeeper_server.pid')))?.trim());
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return 0;
  // A recycled pid is not our server: the command line must be a ZooKeeper JVM.
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes('org.apache.zookeeper') ? pid : 0;
}

async function logTail(zk: ZooKeeperState, lines: number): Promise<string> {
  const names = await fs.readdir(zk.logDir).catch(() => [] as string[]);
  const outs = await Promise.all(
    names
      .filter((n) => n.endsWith('.out') || n.endsWith('.log'))
      .map(async (n) => ({ n, m: (await fs.stat(path.join(zk.logDir, n))).mtimeMs })),
  );
  const newest = outs.sort((a, b) => b.m - a.m)[0];
  if (!newest) return '';
  const text = await fs.readFile(path.join(zk.logDir, newest.n), 'utf8').catch(() => '');
  return text
    .split('\n')
    .slice(-lines - 1)
    .join('\n')
    .slice(-8000);
}

const MODES = new Set(['leader', 'follower', 'observer', 'standalone']);

export async function zooKeeperStatus(state: StateFile, logTailLines = 0): Promise<ZooKeeperStatus> {
  const zk = (await state.read()).zookeeper;
  if (!zk) return { mode: 'not_configured' };
  const pid = await serverPid(zk.dataDir);
  const status: ZooKeeperStatus = {
    mode: 'down',
    pid,
    myid: zk.myid,
    clientAddress: `${zk.clientHost}:${zk.clientPort}`,
  };
  const [srvr, mntr] = await Promise.allSettled([
    fourLetterWord(zk.clientHost, zk.clientPort, 'srvr'),
    fourLetterWord(zk.clientHost, zk.clientPort, 'mntr'),
  ]);
  if (srvr.status === 'fulfilled') {
    status.listening = true;
    const s = parseSrvr(srvr.value);
    status.mode = s.notServing ? 'not_serving' : s.mode && MODES.has(s.mode) ? s.mode : 'not_serving';
    Object.assign(status, {
      zxid: s.zxid ?? '',
      connections: s.connections ?? 0,
      outstanding: s.outstanding ?? 0,
      nodeCount: s.nodeCount ?? 0,
      version: s.version ?? '',
      latencyMin: s.latency?.[0] ?? 0,
      latencyAvg: s.latency?.[1] ?? 0,
      latencyMax: s.latency?.[2] ?? 0,
    });
  } else if (pid) {
    status.mode = 'not_serving';
  }
  if (mntr.status === 'fulfilled') {
    const m = parseMntr(mntr.value);
    const n = (k: string) => Number(m.get(k) ?? 0) || 0;
    status.syncedFollowers = n('zk_synced_followers');
    status.followers = n('zk_followers');
    status.openFds = n('zk_open_file_descriptor_count');
    status.quorumSize = n('zk_quorum_size');
  }
  if (logTailLines && !MODES.has(status.mode ?? '')) status.logTail = await logTail(zk, logTailLines);
  return status;
}

function zkServerSh(zk: ZooKeeperState, action: 'start' | 'stop'): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      path.join(zk.home, 'bin', 'zkServer.sh'),
      [action, zk.cfgFile],
      {
        cwd: zk.home,
        timeout: 60_000,
        env: {
          ...process.env,
          JAVA_HOME: zk.jdkHome,
          ZOO_LOG_DIR: zk.logDir,
          ZOOPIDFILE: path.join(zk.dataDir, 'zookeeper_server.pid'),
        },
      },
      (err, stdout, stderr) => {
        if (err)
          reject(
            new ZkfError(
              'COMMAND_FAILED',
              `zkServer.sh ${action} failed (exit ${err.code}): ${(stdout + stderr).trim().split('\n').slice(-5).join(' | ')}`,
              { cause: err },
            ),
          );
        else resolve(stdout + stderr);
      },
    );
  });
}

async function requireConfigured(state: StateFile): Promise<ZooKeeperState> {
  const zk = (await state.read()).zookeeper;
  if (!zk) throw new ZkfError('NOT_FOUND', 'ZooKeeper is not configured on this host yet (ConfigureZooKeeper first)');
  return zk;
}

async function stop(zk: ZooKeeperState, signal?: AbortSignal): Promise<boolean> {
  const pid = await serverPid(zk.dataDir);
  if (!pid) return false;
  await zkServerSh(zk, 'stop');
  // zkServer.sh stop returns before the JVM is gone: wait on the pid.
  for (let i = 0; i < 600 && pidAlive(pid); i++) await sleep(50, undefined, { signal });
  if (pidAlive(pid)) throw new ZkfError('TIMEOUT', `ZooKeeper (pid ${pid}) did not exit 30 s after zkServer.sh stop`);
  return true;
}

async function start(state: StateFile, zk: ZooKeeperState): Promise<boolean> {
  if (await serverPid(zk.dataDir)) return false;
  // zkServer.sh trusts `kill -0` on the pid file: a killed server not yet reaped (a zombie) or a recycled
  // pid makes it say "already running" and start nothing. The pid file is ours to judge: remove it.
  await fs.rm(path.join(zk.dataDir, 'zookeeper_server.pid'), { force: true });
  await recordStart(state, zk);
  await fs.mkdir(zk.logDir, { recursive: true });
  await zkServerSh(zk, 'start');
  killPoint('start.after-script');
  if (!(await serverPid(zk.dataDir))) {
    throw new ZkfError(
      'COMMAND_FAILED',
      `zkServer.sh start returned but no server is running; log tail:\n${await logTail(zk, 20)}`,
    );
  }
  return true;
}

// One start/stop/restart at a time on a host: two callers (a retry, a second coordinator) racing
// zkServer.sh would fight over the pid file.
let serviceQueue: Promise<unknown> = Promise.resolve();

export function zooKeeperService(
  state: StateFile,
  action: 'STATUS' | 'START' | 'STOP' | 'RESTART',
  dryRun: boolean,
  signal?: AbortSignal,
): Promise<{ result: StepResult; status: ZooKeeperStatus }> {
  if (action === 'STATUS' || dryRun) return serviceAction(state, action, dryRun, signal);
  const run = serviceQueue.then(() => serviceAction(state, action, dryRun, signal));
  serviceQueue = run.catch(() => undefined);
  return run;
}

async function serviceAction(
  state: StateFile,
  action: 'STATUS' | 'START' | 'STOP' | 'RESTART',
  dryRun: boolean,
  signal?: AbortSignal,
): Promise<{ result: StepResult; status: ZooKeeperStatus }> {
  let result: StepResult = { changed: false, description: 'status only' };
  if (action !== 'STATUS' && dryRun) {
    const zk = (await state.read()).zookeeper;
    const running = !!zk && (await serverPid(zk.dataDir)) > 0;
    const would = action === 'RESTART' || (action === 'START') !== running;
    result = {
      changed: would,
      description: would
        ? `would ${action.toLowerCase()}${zk ? '' : ' (once configured)'}`
        : `already ${running ? 'running' : 'stopped'}`,
    };
  } else if (action !== 'STATUS') {
    const zk = await requireConfigured(state);
    if (action === 'START') {
      const changed = await start(state, zk);
      result = { changed, description: changed ? 'started' : 'already running' };
    } else if (action === 'STOP') {
      const changed = await stop(zk, signal);
      result = { changed, description: changed ? 'stopped' : 'already stopped' };
    } else {
      const wasRunning = await stop(zk, signal);
      await start(state, zk);
      result = { changed: true, description: wasRunning ? 'restarted' : 'started' };
    }
  }
  return { result, status: await zooKeeperStatus(state, 30) };
}
