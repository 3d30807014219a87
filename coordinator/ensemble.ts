import { promises as fs } from 'node:fs';
import { isIPv4 } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import {
  ConfigError,
  deepFreeze,
  hostPort,
  parseYamlText,
  problem,
  zodProblems,
  type Located,
} from '../shared/config-file';
import { ZkfError } from '../shared/errors';
import { readFileOr, writeFileAtomic } from '../shared/fs-atomic';
import { sha256File } from '../shared/hash';
import { extraKeyProblem } from '../shared/zoo-cfg';

const artifact = z.strictObject({
  path: z.string().min(1, 'must name the tarball'),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the sha256 of the file: 64 hex digits (sha256sum FILE)'),
});
const logicalPath = z.string().regex(/^\/[^\0\n]*$/, 'must be an absolute path on the hosts');
const port = z.number().int().min(1, 'must be 1-65535').max(65535, 'must be 1-65535');

export const ROLES = ['zookeeper', 'dns', 'image'] as const;

/** The ensemble file. Reference: README.md, "The ensemble file". */
export const EnsembleSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes'),
  pki: z.string().min(1),
  stateDir: z.string().optional(),
  coordinator: z.strictObject({ address: hostPort }).optional(),
  artifacts: z.strictObject({
    jdk: artifact,
    zookeeper: artifact,
    jmxAgent: artifact.optional(),
  }),
  hosts: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be a host name'),
        address: z.string().refine(isIPv4, 'must be an IPv4 address, e.g. 10.4.7.11'),
        agent: hostPort,
        roles: z.array(z.enum(ROLES)).min(1, 'give at least one role: zookeeper, dns or image'),
        observer: z.boolean().default(false),
      }),
    )
    .min(1, 'list at least one host'),
  jdk: z.strictObject({ installDir: logicalPath.default('/usr/java') }).prefault({}),
  zookeeper: z
    .strictObject({
      installDir: logicalPath.default('/opt'),
      dataDir: logicalPath.default('/data/zookeeper/data'),
      dataLogDir: logicalPath.default('/data/zookeeper/logs'),
      clientPort: port.default(2181),
      quorumPort: port.default(2888),
      electionPort: port.default(3888),
      tickTime: z.number().int().min(100, 'must be at least 100 ms').max(60_000).default(2000),
      initLimit: z.number().int().min(1).max(1000).default(10),
      syncLimit: z.number().int().min(1).max(1000).default(5),
      serverName: z
        .string()
        .default('zk{myid}')
        .refine(
          (s) => s.includes('{myid}') || s.includes('{name}'),
          'must contain {myid} or {name}, or every server gets the same DNS name',
        )
        .refine((s) => /^[A-Za-z0-9{}-]+$/.test(s), 'must be a DNS label (letters, digits, -) with {myid} or {name}'),
      bindClientAddress: z.boolean().default(false),
      myids: z.record(z.string(), z.number().int().min(1, 'a myid is 1-255').max(255, 'a myid is 1-255')).default({}),
      fourLetterWords: z
        .string()
        .regex(/^[a-z0-9,*]+$/)
        .default('srvr,mntr,ruok'),
      autopurge: z
        .strictObject({
          snapRetainCount: z.number().int().min(3).default(3),
          purgeInterval: z.number().int().min(0).default(24),
        })
        .prefault({}),
      adminServer: z.strictObject({ enabled: z.boolean().default(false), port: port.default(8080) }).prefault({}),
      jvmFlags: z.string().default(''),
      /** A deploy refuses to write to a host whose dataDir or dataLogDir has less free space than this. */
      minFreeMB: z.number().int().min(0).default(256),
      extra: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
    })
    .prefault({}),
  dns: z
    .strictObject({
      host: z.string(),
      zone: z.string().regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/, 'must be a zone name, e.g. zq.com'),
      zoneFile: logicalPath,
    })
    .optional(),
  image: z
    .strictObject({
      host: z.string(),
      from: z.string().min(1),
      tag: z.string().min(1),
      timezone: z
        .string()
        .regex(/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/, 'must be a tz name such as Asia/Shanghai')
        .default('Asia/Shanghai'),
      jmxPort: port.default(12346),
      jmxConfig: z.string().default("---\nrules:\n - pattern: '.*'\n"),
      registryAuth: logicalPath.optional(),
      insecure: z.boolean().default(false),
    })
    .optional(),
  timeouts: z
    .strictObject({
      connectMs: z.number().int().positive().default(5_000),
      quorumMs: z.number().int().positive().default(90_000),
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
  warnings: string[];
}

export const zkHosts = (e: Ensemble) => e.spec.hosts.filter((h) => h.roles.includes('zookeeper'));

/**
 * Read and check an ensemble file. Nothing on any host is touched here; every problem is collected
 * with its file:line and field, then reported at once.
 */
export async function loadEnsemble(
  file: string,
  options: { stateDir?: string; checkArtifacts?: boolean } = {},
): Promise<Ensemble> {
  const abs = path.resolve(file);
  const text = await readFileOr(abs);
  if (text === undefined) throw new ZkfError('CONFIG_INVALID', `${file}: no such file`);
  const { value, loc } = parseYamlText(text, file);
  const parsed = EnsembleSchema.safeParse(value ?? {});
  if (!parsed.success) throw new ConfigError(file, zodProblems(loc, parsed.error));
  const spec = parsed.data;
  const dir = path.dirname(abs);
  const problems: string[] = [];
  const warnings: string[] = [];
  semanticChecks(spec, loc, problems, warnings);
  const artifactPaths = {
    jdk: path.resolve(dir, spec.artifacts.jdk.path),
    zookeeper: path.resolve(dir, spec.artifacts.zookeeper.path),
    ...(spec.artifacts.jmxAgent ? { jmxAgent: path.resolve(dir, spec.artifacts.jmxAgent.path) } : {}),
  };
  const stateDir = path.resolve(dir, options.stateDir ?? spec.stateDir ?? path.join('.zkfleet', spec.name));
  const pkiDir = path.resolve(dir, spec.pki);
  for (const f of ['ca.crt', 'coordinator.crt', 'coordinator.key']) {
    if (!(await fs.stat(path.join(pkiDir, f)).catch(() => undefined))) {
      problems.push(
        problem(loc, ['pki'], `${path.join(pkiDir, f)} is missing: run \`coordinator pki init ${spec.pki}\``),
      );
      break;
    }
  }
  if (options.checkArtifacts !== false) {
    const cache = new DigestCache(stateDir);
    for (const key of ['jdk', 'zookeeper', 'jmxAgent'] as const) {
      const a = spec.artifacts[key];
      const p = artifactPaths[key];
      if (!a || !p) continue;
      const digest = await cache.digest(p).catch(() => undefined);
      if (digest === undefined) problems.push(problem(loc, ['artifacts', key, 'path'], `${p}: no such file`));
      else if (digest !== a.sha256.toLowerCase())
        problems.push(
          problem(
            loc,
            ['artifacts', key, 'sha256'],
            `${p} has sha256 ${digest}, not ${a.sha256}: wrong file, or a corrupted download`,
          ),
        );
    }
    await cache.save();
  }
  if (problems.length) throw new ConfigError(file, problems);
  return deepFreeze({ file: abs, dir, spec, pkiDir, stateDir, artifactPaths, warnings });
}

function semanticChecks(spec: EnsembleFile, loc: Located, problems: string[], warnings: string[]): void {
  const seen = {
    name: new Map<string, number>(),
    address: new Map<string, number>(),
    agent: new Map<string, number>(),
  };
  spec.hosts.forEach((h, i) => {
    for (const key of ['name', 'address', 'agent'] as const) {
      const prev = seen[key].get(h[key]);
      if (prev !== undefined)
        problems.push(problem(loc, ['hosts', i, key], `"${h[key]}" is also the ${key} of hosts[${prev}]`));
      else seen[key].set(h[key], i);
    }
    if (h.observer && !h.roles.includes('zookeeper'))
      problems.push(problem(loc, ['hosts', i, 'observer'], 'only a zookeeper host can be an observer'));
  });
  const zk = spec.hosts.filter((h) => h.roles.includes('zookeeper'));
  const voters = zk.filter((h) => !h.observer);
  if (!zk.length) problems.push(problem(loc, ['hosts'], 'no host has the role zookeeper'));
  else if (voters.length % 2 === 0) {
    warnings.push(
      problem(
        loc,
        ['hosts'],
        `${voters.length} voting ZooKeeper servers tolerate no more failures than ${voters.length - 1}; an odd number is recommended`,
      ),
    );
  }
  const pinned = new Map<number, string>();
  for (const [name, id] of Object.entries(spec.zookeeper.myids)) {
    if (!zk.some((h) => h.name === name))
      problems.push(problem(loc, ['zookeeper', 'myids', name], `"${name}" is not a zookeeper host in hosts`));
    const other = pinned.get(id);
    if (other) problems.push(problem(loc, ['zookeeper', 'myids', name], `myid ${id} is also pinned to ${other}`));
    pinned.set(id, name);
  }
  for (const [k, v] of Object.entries(spec.zookeeper.extra)) {
    const why = extraKeyProblem(k, v);
    if (why) problems.push(problem(loc, ['zookeeper', 'extra', k], why));
  }
  if (
    spec.zookeeper.quorumPort === spec.zookeeper.electionPort ||
    [spec.zookeeper.quorumPort, spec.zookeeper.electionPort].includes(spec.zookeeper.clientPort)
  ) {
    problems.push(problem(loc, ['zookeeper', 'clientPort'], 'clientPort, quorumPort and electionPort must all differ'));
  }
  if (spec.zookeeper.syncLimit > spec.zookeeper.initLimit)
    warnings.push(
      `zookeeper.syncLimit (${spec.zookeeper.syncLimit}) is larger than initLimit (${spec.zookeeper.initLimit})`,
    );
  if (spec.dns) {
    const i = spec.hosts.findIndex((h) => h.name === spec.dns!.host);
    if (i < 0) problems.push(problem(loc, ['dns', 'host'], `"${spec.dns.host}" is not one of the hosts`));
    else if (!spec.hosts[i].roles.includes('dns'))
      problems.push(problem(loc, ['dns', 'host'], `host "${spec.dns.host}" does not have the role dns`));
  }
  spec.hosts.forEach((h, i) => {
    if (h.roles.includes('dns') && spec.dns?.host !== h.name)
      problems.push(
        problem(
          loc,
          ['hosts', i, 'roles'],
          `role dns, but dns.host is ${spec.dns ? `"${spec.dns.host}"` : 'not set (add a dns: section)'}`,
        ),
      );
    if (h.roles.includes('image') && spec.image?.host !== h.name)
      problems.push(
        problem(
          loc,
          ['hosts', i, 'roles'],
          `role image, but image.host is ${spec.image ? `"${spec.image.host}"` : 'not set (add an image: section)'}`,
        ),
      );
  });
  if (spec.image) {
    const i = spec.hosts.findIndex((h) => h.name === spec.image!.host);
    if (i < 0) problems.push(problem(loc, ['image', 'host'], `"${spec.image.host}" is not one of the hosts`));
    else if (!spec.hosts[i].roles.includes('image'))
      problems.push(problem(loc, ['image', 'host'], `host "${spec.image.host}" does not have the role image`));
    if (!spec.artifacts.jmxAgent)
      problems.push(problem(loc, ['artifacts'], 'image: needs artifacts.jmxAgent (the JMX exporter javaagent jar)'));
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
