import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  absolutePath,
  ConfigError,
  deepFreeze,
  hostPort,
  parseYamlText,
  problem,
  zodProblems,
  type Located,
} from '../../shared/config-file';
import {
  AGENT_DEFAULTS,
  BACKUP_DEFAULTS,
  IMAGE_DEFAULTS,
  JDK_DEFAULTS,
  TIMEOUT_DEFAULTS,
  ZOOKEEPER_DEFAULTS as ZK,
} from '../../shared/defaults';
import { ZkfError } from '../../shared/errors';
import { readFileOr, writeFileAtomic } from '../../shared/fs-atomic';
import { sha256File } from '../../shared/hash';
import { HOST_NAME, IMAGE_REF, isIPv4Address, JVM_FLAGS, TIMEZONE } from '../../shared/names';
import { propertyValueProblem } from '../../shared/zookeeper/properties';
import { extraKeyProblem } from '../../shared/zookeeper/zoo-cfg';

const artifact = z.strictObject({
  path: z.string().min(1, 'must name the tarball'),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the sha256 of the file: 64 hex digits (sha256sum FILE)'),
});
/** A path on the hosts that also goes into zoo.cfg: it must read back from it as written. */
const zkPath = absolutePath.superRefine((p, ctx) => {
  const why = propertyValueProblem(p);
  if (why) ctx.addIssue({ code: 'custom', message: `the path ${why}` });
});
const port = z.number().int().min(1, 'must be 1-65535').max(65535, 'must be 1-65535');
const imageRef = z.string().regex(IMAGE_REF, 'must be an image reference such as harbor.zq.com/base/jre8:8u112');

export const ROLES = ['zookeeper', 'dns', 'image'] as const;

const hostSchema = z.strictObject({
  name: z.string().regex(HOST_NAME, 'must be a host name'),
  address: z.string().refine(isIPv4Address, 'must be an IPv4 address, e.g. 10.4.7.11'),
  agent: hostPort,
  roles: z.array(z.enum(ROLES)).min(1, 'give at least one role: zookeeper, dns or image'),
  observer: z.boolean().default(false),
});

/** A digest user's name: it goes into ACLs (`digest:name:hash`) and file names. `super` is zkfleet's own. */
const userName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be a user name such as dubbo (lower-case letters, digits, _ and -)')
  .refine((u) => u !== 'super', "super is zkfleet's own user; name the applications' users");
/** A znode path such as /dubbo. */
const zkNodePath = z.string().regex(/^(\/[A-Za-z0-9._-]+)+$/, 'must be a znode path such as /dubbo');

const serverNameSchema = z
  .string()
  .default(ZK.serverName)
  .refine(
    (s) => s.includes('{myid}') || s.includes('{name}'),
    'must contain {myid} or {name}, or every server gets the same DNS name',
  )
  .refine((s) => /^[A-Za-z0-9{}-]+$/.test(s), 'must be a DNS label (letters, digits, -) with {myid} or {name}');

const zookeeperSchema = z.strictObject({
  installDir: absolutePath.default(ZK.installDir),
  dataDir: zkPath.default(ZK.dataDir),
  dataLogDir: zkPath.default(ZK.dataLogDir),
  clientPort: port.default(ZK.clientPort),
  quorumPort: port.default(ZK.quorumPort),
  electionPort: port.default(ZK.electionPort),
  tickTime: z.number().int().min(100, 'must be at least 100 ms').max(60_000).default(ZK.tickTime),
  initLimit: z.number().int().min(1).max(1000).default(ZK.initLimit),
  syncLimit: z.number().int().min(1).max(1000).default(ZK.syncLimit),
  serverName: serverNameSchema,
  bindClientAddress: z.boolean().default(false),
  /** ZooKeeper's own PrometheusMetricsProvider (3.6+), served on each server's address at this port. */
  prometheus: z.strictObject({ port: port.default(ZK.prometheusPort) }).optional(),
  /**
   * Client authentication: digest users zkfleet makes passwords for, enforced (3.7+) so that an anonymous client
   * is refused, and an ACL on the registry's root so that only `writers` change it.
   */
  auth: z
    .strictObject({
      users: z.array(userName).min(1, 'name at least one user (the applications, e.g. dubbo)'),
      writers: z.array(userName).optional(),
      root: zkNodePath.default(ZK.registryRoot),
      enforce: z.boolean().default(true),
    })
    .optional(),
  /**
   * TLS from zkfleet's CA (3.5.5+): `quorum` between the servers, moved in (or out) by the Administrator's
   * Guide's three rolls. Keys are made on the hosts and never leave them.
   */
  tls: z
    .strictObject({
      quorum: z.boolean().default(false),
      /** Clients over TLS: `both` adds secureClientPort beside the plain port, `only` closes the plain one. */
      client: z.enum(['off', 'both', 'only']).default('off'),
      secureClientPort: port.default(ZK.secureClientPort),
    })
    .default({ quorum: false, client: 'off', secureClientPort: ZK.secureClientPort }),
  /** Dynamic reconfiguration (3.5.3+): membership changes without restarting the servers that stay. */
  reconfig: z.boolean().default(ZK.reconfig),
  myids: z.record(z.string(), z.number().int().min(1, 'a myid is 1-255').max(255, 'a myid is 1-255')).default({}),
  fourLetterWords: z
    .string()
    .regex(/^[a-z0-9,*]+$/)
    .default(ZK.fourLetterWords),
  autopurge: z
    .strictObject({
      snapRetainCount: z.number().int().min(3).default(ZK.snapRetainCount),
      purgeInterval: z.number().int().min(0).default(ZK.purgeIntervalHours),
    })
    .prefault({}),
  adminServer: z
    .strictObject({ enabled: z.boolean().default(false), port: port.default(ZK.adminServerPort) })
    .prefault({}),
  jvmFlags: z.string().regex(JVM_FLAGS, 'JVM flags may not hold quotes, $, backticks or line breaks').default(''),
  /** A deploy refuses to write to a host whose dataDir or dataLogDir has less free space than this. */
  minFreeMB: z.number().int().min(0).default(ZK.minFreeMB),
  /** Who keeps the server running: the agent, or a zookeeper.service unit of systemd's. */
  supervisor: z.enum(['agent', 'systemd']).default(ZK.supervisor),
  user: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a user name such as zookeeper (or root)')
    .default(ZK.user),
  heapMB: z.number().int().min(64, 'must be at least 64').optional(),
  logs: z
    .strictObject({
      maxSizeMB: z.number().min(0.01).max(10_240).default(ZK.logMaxSizeMB),
      keep: z.number().int().min(1).max(100).default(ZK.logKeep),
      level: z.enum(['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE']).default(ZK.logLevel),
    })
    .prefault({}),
  extra: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
});

const imageSchema = z.strictObject({
  host: z.string(),
  from: imageRef,
  tag: imageRef,
  timezone: z.string().regex(TIMEZONE, 'must be a tz name such as Asia/Shanghai').default(IMAGE_DEFAULTS.timezone),
  jmxPort: port.default(IMAGE_DEFAULTS.jmxPort),
  jmxConfig: z.string().min(1).default(IMAGE_DEFAULTS.jmxConfig),
  registryAuth: absolutePath.optional(),
  insecure: z.boolean().default(false),
});

/** The ensemble file. Reference: README.md, "The ensemble file". */
export const EnsembleSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes'),
  pki: z.string().min(1),
  stateDir: z.string().optional(),
  /** The coordinator server: where agents report, and where its /metrics is (for `coordinator monitoring`). */
  coordinator: z.strictObject({ address: hostPort, metrics: hostPort.optional() }).optional(),
  artifacts: z.strictObject({ jdk: artifact, zookeeper: artifact, jmxAgent: artifact.optional() }),
  hosts: z.array(hostSchema).min(1, 'list at least one host'),
  jdk: z.strictObject({ installDir: absolutePath.default(JDK_DEFAULTS.installDir) }).prefault({}),
  zookeeper: zookeeperSchema.prefault({}),
  dns: z
    .strictObject({
      host: z.string(),
      zone: z.string().regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/, 'must be a zone name, e.g. zq.com'),
      zoneFile: absolutePath,
    })
    .optional(),
  image: imageSchema.optional(),
  /** Where `coordinator backup` keeps backups (default: <stateDir>/backups) and how many verified ones. */
  backup: z
    .strictObject({
      dir: z.string().min(1).optional(),
      keep: z.number().int().min(1).default(BACKUP_DEFAULTS.keep),
    })
    .prefault({}),
  /** What `coordinator bootstrap` writes into each agent's config. */
  agents: z
    .strictObject({
      exec: z.boolean().default(true),
      reportIntervalMs: z.number().int().positive().default(AGENT_DEFAULTS.reportIntervalMs),
      /** Each agent serves /metrics on its address at this port (off when unset). */
      metricsPort: port.optional(),
    })
    .prefault({}),
  timeouts: z
    .strictObject({
      connectMs: z.number().int().positive().default(TIMEOUT_DEFAULTS.connectMs),
      quorumMs: z.number().int().positive().default(TIMEOUT_DEFAULTS.quorumMs),
      leaseMs: z.number().int().min(3_000).default(TIMEOUT_DEFAULTS.leaseMs),
    })
    .prefault({}),
});

export type EnsembleFile = z.output<typeof EnsembleSchema>;
export type HostSpec = EnsembleFile['hosts'][number];

export interface Ensemble {
  file: string; // absolute path
  dir: string; // its directory: relative paths resolve here
  spec: EnsembleFile;
  pkiDir: string;
  stateDir: string;
  artifactPaths: { jdk: string; zookeeper: string; jmxAgent?: string };
  backupDir: string;
  warnings: string[];
}

export const zkHosts = (e: Ensemble) => e.spec.hosts.filter((h) => h.roles.includes('zookeeper'));

/** Collected problems (each with file:line: field) and warnings of one file check. */
class Findings {
  readonly problems: string[] = [];
  readonly warnings: string[] = [];
  constructor(readonly loc: Located) {}
  problem(p: readonly PropertyKey[], message: string): void {
    this.problems.push(problem(this.loc, p, message));
  }
  warning(p: readonly PropertyKey[], message: string): void {
    this.warnings.push(problem(this.loc, p, message));
  }
}

/**
 * Read and check an ensemble file. Nothing on any host is touched here; every problem is collected
 * with its file:line and field, then reported at once.
 */
export async function loadEnsemble(
  file: string,
  /** checkPki false: a command that talks to nobody (monitoring) does not need the PKI made yet. */
  options: { stateDir?: string; checkArtifacts?: boolean; checkPki?: boolean } = {},
): Promise<Ensemble> {
  const abs = path.resolve(file);
  const text = await readFileOr(abs);
  if (text === undefined) throw new ZkfError('CONFIG_INVALID', `${file}: no such file`);
  const { value, loc } = parseYamlText(text, file);
  const parsed = EnsembleSchema.safeParse(value ?? {});
  if (!parsed.success) throw new ConfigError(file, zodProblems(loc, parsed.error));
  const spec = parsed.data;
  const dir = path.dirname(abs);
  const f = new Findings(loc);
  semanticChecks(spec, f);
  const artifactPaths = {
    jdk: path.resolve(dir, spec.artifacts.jdk.path),
    zookeeper: path.resolve(dir, spec.artifacts.zookeeper.path),
    ...(spec.artifacts.jmxAgent ? { jmxAgent: path.resolve(dir, spec.artifacts.jmxAgent.path) } : {}),
  };
  const stateDir = path.resolve(dir, options.stateDir ?? spec.stateDir ?? path.join('.zkfleet', spec.name));
  const pkiDir = path.resolve(dir, spec.pki);
  if (options.checkPki !== false) await checkPki(spec, pkiDir, f);
  if (options.checkArtifacts !== false) await checkArtifacts(spec, artifactPaths, stateDir, f);
  if (f.problems.length) throw new ConfigError(file, f.problems);
  const backupDir = path.resolve(dir, spec.backup.dir ?? path.join(stateDir, 'backups'));
  return deepFreeze({ file: abs, dir, spec, pkiDir, stateDir, artifactPaths, backupDir, warnings: f.warnings });
}

async function checkPki(spec: EnsembleFile, pkiDir: string, f: Findings): Promise<void> {
  for (const name of ['ca.crt', 'coordinator.crt', 'coordinator.key']) {
    if (await fs.stat(path.join(pkiDir, name)).catch(() => undefined)) continue;
    f.problem(['pki'], `${path.join(pkiDir, name)} is missing: run \`coordinator pki init ${spec.pki}\``);
    return;
  }
}

async function checkArtifacts(
  spec: EnsembleFile,
  paths: Ensemble['artifactPaths'],
  stateDir: string,
  f: Findings,
): Promise<void> {
  const cache = new DigestCache(stateDir);
  for (const key of ['jdk', 'zookeeper', 'jmxAgent'] as const) {
    const a = spec.artifacts[key];
    const p = paths[key];
    if (!a || !p) continue;
    const digest = await cache.digest(p).catch(() => undefined);
    if (digest === undefined) f.problem(['artifacts', key, 'path'], `${p}: no such file`);
    else if (digest !== a.sha256.toLowerCase()) {
      const why = `${p} has sha256 ${digest}, not ${a.sha256}: wrong file, or a corrupted download`;
      f.problem(['artifacts', key, 'sha256'], why);
    }
  }
  await cache.save();
}

function semanticChecks(spec: EnsembleFile, f: Findings): void {
  checkHosts(spec, f);
  checkServers(spec, f);
  checkZooKeeperKeys(spec, f);
  checkRoleSections(spec, f);
}

function checkHosts(spec: EnsembleFile, f: Findings): void {
  const seen = {
    name: new Map<string, number>(),
    address: new Map<string, number>(),
    agent: new Map<string, number>(),
  };
  spec.hosts.forEach((h, i) => {
    for (const key of ['name', 'address', 'agent'] as const) {
      const prev = seen[key].get(h[key]);
      if (prev !== undefined) f.problem(['hosts', i, key], `"${h[key]}" is also the ${key} of hosts[${prev}]`);
      else seen[key].set(h[key], i);
    }
    if (h.observer && !h.roles.includes('zookeeper')) {
      f.problem(['hosts', i, 'observer'], 'only a zookeeper host can be an observer');
    }
  });
}

function checkServers(spec: EnsembleFile, f: Findings): void {
  const zk = spec.hosts.filter((h) => h.roles.includes('zookeeper'));
  const voters = zk.filter((h) => !h.observer).length;
  if (!zk.length) f.problem(['hosts'], 'no host has the role zookeeper');
  else if (voters % 2 === 0) {
    const why = `${voters} voting ZooKeeper servers tolerate no more failures than ${voters - 1}`;
    f.warning(['hosts'], `${why}; an odd number is recommended`);
  }
  const pinned = new Map<number, string>();
  for (const [name, id] of Object.entries(spec.zookeeper.myids)) {
    if (!zk.some((h) => h.name === name))
      f.problem(['zookeeper', 'myids', name], `"${name}" is not a zookeeper host in hosts`);
    const other = pinned.get(id);
    if (other) f.problem(['zookeeper', 'myids', name], `myid ${id} is also pinned to ${other}`);
    pinned.set(id, name);
  }
}

function checkZooKeeperKeys(spec: EnsembleFile, f: Findings): void {
  const z = spec.zookeeper;
  for (const [k, v] of Object.entries(z.extra)) {
    const why = extraKeyProblem(k, v);
    if (why) f.problem(['zookeeper', 'extra', k], why);
  }
  if (z.quorumPort === z.electionPort || [z.quorumPort, z.electionPort].includes(z.clientPort)) {
    f.problem(['zookeeper', 'clientPort'], 'clientPort, quorumPort and electionPort must all differ');
  }
  const auth = z.auth;
  for (const [i, w] of (auth?.writers ?? []).entries()) {
    if (!auth!.users.includes(w)) f.problem(['zookeeper', 'auth', 'writers', i], `"${w}" is not one of auth.users`);
  }
  if (z.syncLimit > z.initLimit) {
    f.warnings.push(`zookeeper.syncLimit (${z.syncLimit}) is larger than initLimit (${z.initLimit})`);
  }
}

/** The dns and image sections name a host that has the role, and every such host is named by one. */
function checkRoleSections(spec: EnsembleFile, f: Findings): void {
  for (const role of ['dns', 'image'] as const) {
    const section = spec[role];
    if (section) {
      const i = spec.hosts.findIndex((h) => h.name === section.host);
      if (i < 0) f.problem([role, 'host'], `"${section.host}" is not one of the hosts`);
      else if (!spec.hosts[i].roles.includes(role)) {
        f.problem([role, 'host'], `host "${section.host}" does not have the role ${role}`);
      }
    }
    spec.hosts.forEach((h, i) => {
      if (!h.roles.includes(role) || section?.host === h.name) return;
      const named = section ? `"${section.host}"` : `not set (add a ${role}: section)`;
      f.problem(['hosts', i, 'roles'], `role ${role}, but ${role}.host is ${named}`);
    });
  }
  if (spec.image && !spec.artifacts.jmxAgent) {
    f.problem(['artifacts'], 'image: needs artifacts.jmxAgent (the JMX exporter javaagent jar)');
  }
}

/**
 * sha256 of the artifacts, cached by (path, size, mtime, inode) in the state directory: a no-op deploy does
 * not re-hash 200 MB of tarballs, and a changed file is always hashed again.
 */
class DigestCache {
  private entries: Record<string, { key: string; sha256: string }> = {};
  private loaded = false;
  private dirty = false;
  constructor(private readonly stateDir: string) {}
  private get file() {
    return path.join(this.stateDir, 'digests.json');
  }

  async digest(p: string): Promise<string> {
    if (!this.loaded) {
      this.loaded = true;
      try {
        this.entries = JSON.parse((await readFileOr(this.file)) ?? '{}');
      } catch {
        this.entries = {};
      }
    }
    const st = await fs.stat(p);
    const key = `${st.size}:${st.mtimeMs}:${st.ino}`;
    const hit = this.entries[p];
    if (hit?.key === key) return hit.sha256;
    const sha256 = await sha256File(p);
    this.entries[p] = { key, sha256 };
    this.dirty = true;
    return sha256;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    await fs.mkdir(this.stateDir, { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify(this.entries, null, 2) + '\n');
  }
}
