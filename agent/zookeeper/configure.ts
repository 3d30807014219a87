import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ZkfError } from '../../shared/errors';
import { killPoint } from '../../shared/fault';
import { readFileOr, sweepTemps, writeFileAtomic } from '../../shared/fs-atomic';
import { sha256 } from '../../shared/hash';
import { JVM_FLAGS } from '../../shared/names';
import type { ConfigureZooKeeperRequest__Output, StepResult } from '../../shared/generated/wire';
import {
  cfgSettings,
  describeCfgChange,
  dynamicMembers,
  parseZooCfg,
  renderDynamicCfg,
  renderZooCfg,
  type ZooCfgInput,
  type ZooCfgServer,
} from '../../shared/zookeeper/zoo-cfg';
import type { Host } from '../daemon/host';
import { required } from '../daemon/request-guard';
import type { StateFile, Supervisor, ZooKeeperState } from '../daemon/state';
import { dynamicFileOf, handConfToServer } from './dynamic';
import { configFileName, logBackend, renderLogConfig } from './logging';
import { restartPending } from './restart-pending';
import { holdsData, readMyid } from './process';
import { renderZkUnit, systemctl, ZK_UNIT, ZK_UNIT_FILE } from './systemd';
import { renderStores, storesOnDisk, storesPart, writeStores, type Stores } from '../tls/server-stores';
import { ensureUser, ownTree, type Account } from './user';

type ConfigureRequest = ConfigureZooKeeperRequest__Output;

/** Every file a configure call writes, rendered, and where each goes (real paths). */
interface Rendered {
  zk: Omit<ZooKeeperState, 'uid' | 'gid'>;
  cfg: string;
  javaEnv: string;
  myidText: string;
  logConfig: string;
  /** With reconfig: its file, its first text when the server has none yet, a note when its list differs. */
  dynamic?: { file: string; text?: string; note?: string };
  /** Quorum TLS: the PEM stores this server reads (undefined: no TLS). */
  stores?: Stores;
}

/**
 * Render zoo.cfg, java.env, myid and the logging configuration; make the server's user and hand it its
 * directories; under systemd, write and enable its unit. Refuses to change the myid of a dataDir that holds
 * data: that would make the server rejoin under another identity and corrupt the quorum.
 */
export async function configureZooKeeper(host: Host, state: StateFile, req: ConfigureRequest): Promise<StepResult> {
  const r = await render(host, req);
  const old = await readOld(r);
  if (old.myid && old.myid !== req.myid && (await holdsData(r.zk.dataDir, r.zk.dataLogDir))) {
    throw new ZkfError(
      'MYID_CONFLICT',
      `${req.dataDir} holds ZooKeeper data of server ${old.myid}; refusing to make it server ${req.myid}. ` +
        `Pin this host to myid ${old.myid} in the ensemble file (zookeeper.myids), or move the data away yourself.`,
    );
  }
  const changes = describeChanges(r, old);
  const prev = (await state.read()).zookeeper;
  if (!req.dryRun) {
    changes.push(...(await writeFiles(host, state, r, old)));
    await state.update({ lastConfigure: req });
  } else if (prev?.user !== r.zk.user) changes.push(`would run as ${r.zk.user}`);
  const files = { cfg: r.cfg, javaEnv: r.javaEnv, myid: r.myidText, logConfig: r.logConfig, tls: storesPart(r.stores) };
  const pending = await restartPending(state, {
    parts: { ...files, user: r.zk.user, supervisor: r.zk.supervisor },
    changed: changes.length > 0,
  });
  const done = changes.length
    ? (req.dryRun ? 'would change: ' : '') + changes.join('; ')
    : 'zoo.cfg, java.env and myid unchanged';
  const description = r.dynamic?.note ? `${done}; ${r.dynamic.note}` : done;
  return {
    changed: changes.length > 0,
    description: pending.length ? `${description}; restart pending: ${pending.join(', ')}` : description,
    restartNeeded: pending.length > 0,
    path: path.posix.join(r.zk.installDir, 'zookeeper/conf/zoo.cfg'),
  };
}

async function render(host: Host, req: ConfigureRequest): Promise<Rendered> {
  const installDir = required(req.installDir, 'installDir');
  const myid = required(req.myid, 'myid');
  if (myid > 255) throw new ZkfError('INVALID_ARGUMENT', `myid ${myid} must be 1-255`);
  const self = req.servers.find((s) => s.id === myid);
  if (!self) throw new ZkfError('INVALID_ARGUMENT', `myid ${myid} is not among the servers`);
  const supervisor = supervisorOf(host, req.supervisor);
  if (req.enforceAuth && !req.superDigest) {
    throw new ZkfError('INVALID_ARGUMENT', 'enforceAuth without superDigest: zkfleet itself could not get in');
  }
  const home = host.path(path.posix.join(installDir, 'zookeeper'));
  await requireInstalled(home, installDir);
  const dataDir = host.path(required(req.dataDir, 'dataDir'));
  const dataLogDir = host.path(required(req.dataLogDir, 'dataLogDir'));
  const logDir = host.path(host.config.zookeeper.logDir);
  const cfgFile = path.join(home, 'conf', 'zoo.cfg');
  const dynamic = req.reconfig ? await renderDynamic(req, cfgFile, [dataDir, dataLogDir]) : undefined;
  const stores = await renderStores(host, req);
  const tls = stores && { stage: stores.stage, client: stores.client, securePort: stores.securePort, dir: stores.dir };
  const cfg = renderCfg(req, { dataDir, dataLogDir, observer: self.observer, dynamic: dynamic?.settings, tls });
  const jdkHome = host.path(required(req.javaHome, 'javaHome'));
  const backend = await logBackend(home);
  const logSettings = {
    dir: logDir,
    maxSizeKB: required(req.logMaxSizeKb, 'logMaxSizeKb'),
    keep: required(req.logKeep, 'logKeep'),
    level: required(req.logLevel, 'logLevel'),
  };
  const logConfig = renderLogConfig(backend, logSettings);
  const javaEnv = renderJavaEnv(host, req, jdkHome, logDir);
  const myidText = `${myid}\n`;
  const zk = {
    installDir,
    home,
    cfgFile,
    javaEnvFile: path.join(home, 'conf', 'java.env'),
    logConfigFile: path.join(home, 'conf', configFileName(backend)),
    dataDir,
    dataLogDir,
    clientHost: req.clientPortAddress || '127.0.0.1',
    clientPort: required(req.clientPort, 'clientPort'),
    myid,
    cfgSha256: sha256(cfg),
    myidSha256: sha256(myidText),
    logDir,
    jdkHome,
    user: required(req.user, 'user'),
    supervisor,
    tlsDir: stores?.dir,
    quorumTls: stores?.stage,
    clientTls: stores?.client,
    tlsNotAfter: stores?.notAfter,
  };
  const dynamicParts = dynamic && { file: dynamic.settings.file, text: dynamic.text, note: dynamic.note };
  return { zk, cfg, javaEnv, myidText, logConfig, dynamic: dynamicParts, stores };
}

/**
 * Reconfig: the dynamic file is ZooKeeper's once the server holds data; zkfleet writes it only for a server
 * without data (it joins with the committed list plus itself, as the coordinator sends it — a host added back,
 * its old data moved aside, does not start from the list of its earlier life), and otherwise says where the list
 * differs from the request (a reconfig, not this call, changes it).
 */
async function renderDynamic(req: ConfigureRequest, cfgFile: string, dataDirs: string[]) {
  required(req.superDigest, 'superDigest');
  const fresh = !(await holdsData(...dataDirs));
  const { file, current } = await dynamicFileOf(cfgFile, fresh ? undefined : await readFileOr(cfgFile));
  const text = renderDynamicCfg({
    servers: serversOf(req),
    clientPort: req.clientPort,
    clientPortAddress: req.clientPortAddress,
  });
  const note =
    current !== undefined && dynamicMembers(current) !== dynamicMembers(text)
      ? `membership is ZooKeeper's (${path.basename(file)}: ${dynamicMembers(current)}; asked: ${dynamicMembers(text)})`
      : undefined;
  return { settings: { file }, text: current === undefined ? text : undefined, note };
}

function supervisorOf(host: Host, s: string): Supervisor {
  if (s !== 'agent' && s !== 'systemd')
    throw new ZkfError('INVALID_ARGUMENT', `supervisor "${s}" is not agent or systemd`);
  if (s === 'systemd' && host.config.root !== '/') {
    throw new ZkfError('INVALID_ARGUMENT', 'supervisor systemd needs the agent to manage the host itself (root: /)');
  }
  return s;
}

/**
 * java.env is sourced by zkEnv.sh: an operator's own `zkServer.sh start` gets the same settings (the
 * JDK, the heap, the flags, the log directory and the rolling log).
 */
function renderJavaEnv(host: Host, req: ConfigureRequest, jdkHome: string, logDir: string): string {
  const heap = required(req.heapMb, 'heapMb');
  const flags = [`-Xms${heap}m`, `-Xmx${heap}m`, host.config.zookeeper.jvmFlags, req.jvmFlags]
    .filter(Boolean)
    .join(' ');
  if (!JVM_FLAGS.test(flags)) {
    const why = 'contain characters that are not allowed (quotes, $, backticks, newlines)';
    throw new ZkfError('INVALID_ARGUMENT', `JVM flags "${flags}" ${why}`);
  }
  return (
    `# Managed by zkfleet\nexport JAVA_HOME=${jdkHome}\nexport ZOO_LOG_DIR=${logDir}\n` +
    `export ZOO_LOG4J_PROP="${req.logLevel},ROLLINGFILE"\nexport SERVER_JVMFLAGS="${flags}"\n`
  );
}

/** zoo.cfg from the request: every field the coordinator must send is required here. */
function renderCfg(
  req: ConfigureRequest,
  paths: {
    dataDir: string;
    dataLogDir: string;
    observer: boolean;
    dynamic?: ZooCfgInput['dynamic'];
    tls?: ZooCfgInput['tls'];
  },
): string {
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
    snapshotTrustEmpty: req.snapshotTrustEmpty,
    servers: serversOf(req),
    superDigest: req.superDigest || undefined,
    enforceAuth: req.enforceAuth,
    prometheus: req.prometheusPort ? { port: req.prometheusPort, host: req.prometheusHost || undefined } : undefined,
  });
}

function serversOf(req: ConfigureRequest): ZooCfgServer[] {
  return req.servers.map((s) => ({
    id: s.id,
    host: s.host,
    quorumPort: required(s.quorumPort, `servers[${s.id}].quorumPort`),
    electionPort: required(s.electionPort, `servers[${s.id}].electionPort`),
    observer: s.observer,
  }));
}

async function requireInstalled(home: string, installDir: string): Promise<void> {
  if (!(await fs.stat(path.join(home, 'bin', 'zkServer.sh')).catch(() => undefined))) {
    const script = `${path.posix.join(installDir, 'zookeeper')}/bin/zkServer.sh`;
    throw new ZkfError('NOT_FOUND', `${script} not found: install ZooKeeper first`);
  }
}

interface Old {
  cfg?: string;
  javaEnv?: string;
  myid: number;
  logConfig?: string;
  dirs: boolean;
  stores: string;
}

async function readOld(r: Rendered): Promise<Old> {
  const [cfg, javaEnv, myid, logConfig, dirs, stores] = await Promise.all([
    readFileOr(r.zk.cfgFile),
    readFileOr(r.zk.javaEnvFile),
    readMyid(r.zk.dataDir),
    readFileOr(r.zk.logConfigFile),
    Promise.all([r.zk.dataDir, r.zk.dataLogDir].map((d) => fs.stat(d).catch(() => undefined))).then((s) =>
      s.every(Boolean),
    ),
    storesOnDisk(r.stores?.dir),
  ]);
  return { cfg, javaEnv, myid, logConfig, dirs, stores };
}

/**
 * Equal settings: with reconfig, ZooKeeper's own rewrite of zoo.cfg is not a change (shared/zookeeper/zoo-cfg.ts)
 * as long as it points at the dynamic file the server is to start with.
 */
function sameCfg(old: Old, r: Rendered): boolean {
  if (old.cfg === undefined || cfgSettings(old.cfg) !== cfgSettings(r.cfg)) return false;
  return !r.dynamic || parseZooCfg(old.cfg).get('dynamicConfigFile') === r.dynamic.file;
}

function describeChanges(r: Rendered, old: Old): string[] {
  const changes: string[] = [];
  if (!sameCfg(old, r)) changes.push(describeCfgChange(old.cfg, r.cfg));
  if (r.dynamic?.text !== undefined) changes.push(`${path.basename(r.dynamic.file)} written`);
  if (old.javaEnv !== r.javaEnv) changes.push(old.javaEnv === undefined ? 'java.env written' : 'java.env changed');
  if (old.myid !== r.zk.myid) changes.push(old.myid ? `myid ${old.myid}→${r.zk.myid}` : `myid ${r.zk.myid}`);
  if (old.logConfig !== r.logConfig)
    changes.push(`${path.basename(r.zk.logConfigFile)} ${old.logConfig === undefined ? 'written' : 'changed'}`);
  if (!old.dirs) changes.push('data directories created');
  if (r.stores && old.stores !== storesPart(r.stores)) changes.push(`TLS stores ${old.stores ? 'changed' : 'written'}`);
  return changes;
}

async function writeFiles(host: Host, state: StateFile, r: Rendered, old: Old): Promise<string[]> {
  const { zk } = r;
  const done: string[] = [];
  await Promise.all([sweepTemps(path.dirname(zk.cfgFile)), sweepTemps(zk.dataDir)]);
  // The parents stay traversable for the server's user; the directories themselves become its own, 0750.
  for (const d of [zk.dataDir, zk.dataLogDir, zk.logDir]) {
    await fs.mkdir(path.dirname(d), { recursive: true, mode: 0o755 });
    await traversable(path.dirname(d));
    await fs.mkdir(d, { recursive: true, mode: 0o750 });
  }
  if (r.dynamic?.text !== undefined) await writeFileAtomic(r.dynamic.file, r.dynamic.text, { mode: 0o644 });
  if (!sameCfg(old, r)) await writeFileAtomic(zk.cfgFile, r.cfg, { mode: 0o644 });
  killPoint('configure.cfg-written');
  if (old.javaEnv !== r.javaEnv) await writeFileAtomic(zk.javaEnvFile, r.javaEnv, { mode: 0o644 });
  if (old.logConfig !== r.logConfig) await writeFileAtomic(zk.logConfigFile, r.logConfig, { mode: 0o644 });
  if (old.myid !== zk.myid) await writeFileAtomic(path.join(zk.dataDir, 'myid'), r.myidText, { mode: 0o644 });
  const account = await handOver(host, zk, done);
  if (r.stores) await writeStores(r.stores, account);
  if (r.dynamic) await handConfToServer(zk.cfgFile, account);
  const before = (await state.read()).zookeeper;
  // A removed server stays removed until the host is added back, which gives it another myid.
  const desired = before?.desired === 'removed' && before.myid !== zk.myid ? undefined : before?.desired;
  const full: ZooKeeperState = { ...before, ...zk, desired, uid: account.uid, gid: account.gid };
  await state.update({ zookeeper: full });
  done.push(...(await supervisorUnit(host, full)));
  return done;
}

/** A parent the server's user must pass through (an earlier zkfleet made /data/zookeeper 0750, root's). */
async function traversable(dir: string): Promise<void> {
  const st = await fs.stat(dir);
  if ((st.mode & 0o011) !== 0o011) await fs.chmod(dir, (st.mode & 0o7777) | 0o011);
}

/** The server's user exists and owns dataDir, dataLogDir and the log directory (the trees stay root's). */
async function handOver(host: Host, zk: Rendered['zk'], done: string[]): Promise<Account> {
  if (zk.user === 'root') return { name: 'root', uid: 0, gid: 0 };
  const { account, made } = await ensureUser(host, zk.user, zk.dataDir, false);
  if (made) done.push(`user ${zk.user} created`);
  let owned = 0;
  for (const d of [zk.dataDir, zk.dataLogDir, zk.logDir]) owned += await ownTree(d, account!);
  if (owned) done.push(`${owned} entries handed to ${zk.user}`);
  return account!;
}

/**
 * systemd: the unit written (daemon-reload) and enabled; agent: a unit of an earlier choice is disabled. A
 * server removed from the ensemble keeps its unit disabled, so no boot starts it.
 */
async function supervisorUnit(host: Host, zk: ZooKeeperState): Promise<string[]> {
  if (zk.desired === 'removed') return disableZkUnit(host, '(the server was removed from the ensemble)');
  if (zk.supervisor === 'agent') return disableZkUnit(host, '(the agent supervises)');
  const file = host.path(ZK_UNIT_FILE);
  const current = await readFileOr(file);
  const unit = renderZkUnit(zk);
  const out: string[] = [];
  if (current !== unit) {
    await writeFileAtomic(file, unit, { mode: 0o644 });
    await systemctl(['daemon-reload']);
    out.push(`${ZK_UNIT} written`);
  }
  if ((await systemctl(['is-enabled', ZK_UNIT]).catch(() => '')).trim() !== 'enabled') {
    await systemctl(['enable', ZK_UNIT]);
    out.push(`${ZK_UNIT} enabled`);
  }
  return out;
}

/** The ZooKeeper unit disabled, if there is one and it is enabled: no boot starts the server then. */
export async function disableZkUnit(host: Host, why: string): Promise<string[]> {
  if ((await readFileOr(host.path(ZK_UNIT_FILE))) === undefined) return [];
  const enabled = (await systemctl(['is-enabled', ZK_UNIT]).catch(() => '')).trim() === 'enabled';
  if (!enabled) return [];
  await systemctl(['disable', ZK_UNIT]);
  return [`${ZK_UNIT} disabled ${why}`];
}
