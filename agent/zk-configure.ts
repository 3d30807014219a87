import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ZkfError } from '../shared/errors';
import { killPoint } from '../shared/fault';
import { readFileOr, sweepTemps, writeFileAtomic } from '../shared/fs-atomic';
import { sha256 } from '../shared/hash';
import { JVM_FLAGS } from '../shared/names';
import type { ConfigureZooKeeperRequest__Output } from '../shared/proto-types/zkfleet/v1/ConfigureZooKeeperRequest';
import type { StepResult } from '../shared/proto-types/zkfleet/v1/StepResult';
import { describeCfgChange, renderZooCfg } from '../shared/zoo-cfg';
import type { Host } from './host';
import { required } from './request-guard';
import type { StateFile, ZooKeeperState } from './state';
import { configHash, holdsData, readMyid, serverPid } from './zk-process';

/** What a configure call would write: the files' text and where they go (real paths). */
type ConfigureRequest = ConfigureZooKeeperRequest__Output;

interface Rendered {
  zk: Omit<ZooKeeperState, 'startedWith'>;
  cfg: string;
  javaEnv: string;
  myidText: string;
}

/**
 * Render zoo.cfg, java.env and myid; create dataDir and dataLogDir. Refuses to change the myid of a
 * dataDir that holds data: that would make the server rejoin under another identity and corrupt the quorum.
 */
export async function configureZooKeeper(host: Host, state: StateFile, req: ConfigureRequest): Promise<StepResult> {
  const r = render(host, req);
  await requireInstalled(r.zk.home, r.zk.installDir);
  const [oldCfg, oldEnv, oldMyid] = await Promise.all([
    readFileOr(r.zk.cfgFile),
    readFileOr(r.zk.javaEnvFile),
    readMyid(r.zk.dataDir),
  ]);
  if (oldMyid && oldMyid !== req.myid && (await holdsData(r.zk.dataDir, r.zk.dataLogDir))) {
    throw new ZkfError(
      'MYID_CONFLICT',
      `${req.dataDir} holds ZooKeeper data of server ${oldMyid}; refusing to make it server ${req.myid}. ` +
        `Pin this host to myid ${oldMyid} in the ensemble file (zookeeper.myids), or move the data away yourself.`,
    );
  }
  const changes = describeChanges(r, oldCfg, oldEnv, oldMyid);
  if (!(await dirsExist(r.zk))) changes.push('data directories created');
  const running = (await serverPid(r.zk.dataDir)) > 0;
  if (!req.dryRun) await writeFiles(state, r, { oldCfg, oldEnv, oldMyid });
  // Due when the running server was started with other files than these, also when the change itself was
  // written by an earlier, interrupted deploy (the coordinator died before the restart).
  const startedWith = (await state.read()).zookeeper?.startedWith;
  const differs = startedWith !== undefined && startedWith !== configHash(r.cfg, r.javaEnv, r.myidText);
  return {
    changed: changes.length > 0,
    description: changes.length
      ? (req.dryRun ? 'would change: ' : '') + changes.join('; ')
      : 'zoo.cfg, java.env and myid unchanged',
    restartNeeded: running && (changes.some((c) => !c.startsWith('data directories')) || differs),
    path: path.posix.join(r.zk.installDir, 'zookeeper/conf/zoo.cfg'),
  };
}

function render(host: Host, req: ConfigureRequest): Rendered {
  const installDir = required(req.installDir, 'installDir');
  const myid = required(req.myid, 'myid');
  if (myid > 255) throw new ZkfError('INVALID_ARGUMENT', `myid ${myid} must be 1-255`);
  const self = req.servers.find((s) => s.id === myid);
  if (!self) throw new ZkfError('INVALID_ARGUMENT', `myid ${myid} is not among the servers`);
  const jvmFlags = [host.config.zookeeper.jvmFlags, req.jvmFlags].filter(Boolean).join(' ');
  if (!JVM_FLAGS.test(jvmFlags)) {
    const why = 'contain characters that are not allowed (quotes, $, backticks, newlines)';
    throw new ZkfError('INVALID_ARGUMENT', `JVM flags "${jvmFlags}" ${why}`);
  }
  const home = host.path(path.posix.join(installDir, 'zookeeper'));
  const dataDir = host.path(required(req.dataDir, 'dataDir'));
  const dataLogDir = host.path(required(req.dataLogDir, 'dataLogDir'));
  const clientPort = required(req.clientPort, 'clientPort');
  const cfg = renderCfg(req, { dataDir, dataLogDir, observer: self.observer });
  const jdkHome = host.path(required(req.javaHome, 'javaHome'));
  const logDir = host.config.zookeeper.logDir ? host.path(host.config.zookeeper.logDir) : path.join(home, 'logs');
  // java.env is sourced by zkEnv.sh: an operator's own `zkServer.sh start` gets the same settings.
  const javaEnv =
    `# Managed by zkfleet\nexport JAVA_HOME=${jdkHome}\nexport ZOO_LOG_DIR=${logDir}\n` +
    `export SERVER_JVMFLAGS="${jvmFlags}"\n`;
  const myidText = `${myid}\n`;
  const zk = {
    installDir,
    home,
    cfgFile: path.join(home, 'conf', 'zoo.cfg'),
    javaEnvFile: path.join(home, 'conf', 'java.env'),
    dataDir,
    dataLogDir,
    clientHost: req.clientPortAddress || '127.0.0.1',
    clientPort,
    myid,
    cfgSha256: sha256(cfg),
    myidSha256: sha256(myidText),
    logDir,
    jdkHome,
  };
  return { zk, cfg, javaEnv, myidText };
}

/** zoo.cfg from the request: every field the coordinator must send is required here. */
function renderCfg(req: ConfigureRequest, paths: { dataDir: string; dataLogDir: string; observer: boolean }): string {
  return renderZooCfg({
    tickTime: required(req.tickTime, 'tickTime'),
    initLimit: required(req.initLimit, 'initLimit'),
    syncLimit: required(req.syncLimit, 'syncLimit'),
    ...paths,
    clientPort: required(req.clientPort, 'clientPort'),
    clientPortAddress: req.clientPortAddress || undefined,
    fourLetterWords: required(req.fourLetterWords, 'fourLetterWords'),
    autopurgeSnapRetainCount: required(req.autopurgeSnapRetainCount, 'autopurgeSnapRetainCount'),
    autopurgePurgeInterval: req.autopurgePurgeInterval,
    adminServerAddress: req.adminServerAddress || undefined,
    adminServerPort: req.adminServerAddress ? required(req.adminServerPort, 'adminServerPort') : undefined,
    extra: req.extra ?? {},
    servers: req.servers.map((s) => ({
      id: s.id,
      host: s.host,
      quorumPort: required(s.quorumPort, `servers[${s.id}].quorumPort`),
      electionPort: required(s.electionPort, `servers[${s.id}].electionPort`),
      observer: s.observer,
    })),
  });
}

async function requireInstalled(home: string, installDir: string): Promise<void> {
  if (!(await fs.stat(path.join(home, 'bin', 'zkServer.sh')).catch(() => undefined))) {
    const script = `${path.posix.join(installDir, 'zookeeper')}/bin/zkServer.sh`;
    throw new ZkfError('NOT_FOUND', `${script} not found: install ZooKeeper first`);
  }
}

function describeChanges(r: Rendered, oldCfg?: string, oldEnv?: string, oldMyid?: number): string[] {
  const changes: string[] = [];
  if (oldCfg !== r.cfg) changes.push(describeCfgChange(oldCfg, r.cfg));
  if (oldEnv !== r.javaEnv) changes.push(oldEnv === undefined ? 'java.env written' : 'java.env changed');
  if (oldMyid !== r.zk.myid) changes.push(oldMyid ? `myid ${oldMyid}→${r.zk.myid}` : `myid ${r.zk.myid}`);
  return changes;
}

async function dirsExist(zk: Rendered['zk']): Promise<boolean> {
  const st = await Promise.all([zk.dataDir, zk.dataLogDir].map((d) => fs.stat(d).catch(() => undefined)));
  return st.every(Boolean);
}

async function writeFiles(state: StateFile, r: Rendered, old: { oldCfg?: string; oldEnv?: string; oldMyid?: number }) {
  const { zk } = r;
  await Promise.all([sweepTemps(path.dirname(zk.cfgFile)), sweepTemps(zk.dataDir)]);
  await fs.mkdir(zk.dataDir, { recursive: true, mode: 0o750 });
  await fs.mkdir(zk.dataLogDir, { recursive: true, mode: 0o750 });
  await fs.mkdir(zk.logDir, { recursive: true });
  if (old.oldCfg !== r.cfg) await writeFileAtomic(zk.cfgFile, r.cfg, { mode: 0o644 });
  killPoint('configure.cfg-written');
  if (old.oldEnv !== r.javaEnv) await writeFileAtomic(zk.javaEnvFile, r.javaEnv, { mode: 0o644 });
  if (old.oldMyid !== zk.myid) await writeFileAtomic(path.join(zk.dataDir, 'myid'), r.myidText, { mode: 0o644 });
  const prev = (await state.read()).zookeeper;
  await state.update({ zookeeper: { ...zk, startedWith: prev?.startedWith } });
}
