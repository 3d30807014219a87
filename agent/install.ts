import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ZkfError } from '../shared/errors';
import { killPoint } from '../shared/fault';
import { flipSymlink, readFileOr, syncDir, writeFileAtomic } from '../shared/fs-atomic';
import type { StepResult } from '../shared/proto-types/zkfleet/v1/StepResult';
import type { ArtifactStore } from './artifacts';
import type { Host } from './host';
import { required } from './request-guard';
import { extractToTemp, sweepLeftovers } from './unpack';

const run = promisify(execFile);
const MARKER = '.zkfleet-artifact.json';

export interface Marker {
  sha256: string;
  version: string;
  installedAt: string;
}

export async function readMarker(dir: string): Promise<Marker | undefined> {
  const text = await readFileOr(path.join(dir, MARKER));
  try {
    return text ? (JSON.parse(text) as Marker) : undefined;
  } catch {
    return undefined;
  }
}

interface Product {
  what: string;
  /** Directory name for the unpacked tree (from the archive's top directory). */
  targetName(top: string): string;
  /** Version of an unpacked tree; throws when the tree is not the product. */
  version(dir: string, top: string): Promise<string>;
  /** Extra idempotent work after the link points at the new tree. */
  after?(host: Host, linkPath: string, dryRun: boolean): Promise<string | undefined>;
  /** Carried over from the tree the link pointed at before (zoo.cfg, so an upgrade keeps its config). */
  carryOver?: string[];
}

interface InstallReq {
  sha256: string;
  installDir: string;
  linkName: string;
  dryRun: boolean;
}

/** Where a product's link is and what it points at now. */
interface Current {
  installDir: string;
  linkPath: string;
  logicalLink: string;
  target?: string;
  dir?: string;
  marker?: Marker;
}

async function currentInstall(host: Host, req: InstallReq): Promise<Current> {
  const installDir = host.path(required(req.installDir, 'installDir'));
  const linkName = required(req.linkName, 'linkName');
  if (!/^[A-Za-z0-9._-]+$/.test(linkName)) {
    throw new ZkfError('INVALID_ARGUMENT', `link name "${linkName}" is not a plain file name`);
  }
  const linkPath = path.join(installDir, linkName);
  const target = await fs.readlink(linkPath).catch(() => undefined);
  const dir = target ? path.resolve(installDir, target) : undefined;
  const marker = dir ? await readMarker(dir) : undefined;
  return { installDir, linkPath, logicalLink: path.posix.join(req.installDir, linkName), target, dir, marker };
}

/**
 * Unpack a stored tarball under installDir/<versioned name> and flip installDir/<link> to it. A marker in
 * the tree records the artifact digest: same digest, nothing to do. The new tree is unpacked in a temp
 * directory and renamed in; the link is flipped with a rename: a crash leaves the old or the new version.
 */
async function installTarball(
  host: Host,
  store: ArtifactStore,
  product: Product,
  req: InstallReq,
  signal?: AbortSignal,
): Promise<StepResult> {
  const cur = await currentInstall(host, req);
  if (cur.marker && cur.marker.sha256 === req.sha256) {
    const extra = product.after ? await product.after(host, cur.linkPath, req.dryRun) : undefined;
    const same = `${cur.logicalLink} -> ${cur.target} (${product.what} ${cur.marker.version}) unchanged`;
    return { changed: !!extra, description: extra ?? same, version: cur.marker.version, path: cur.logicalLink };
  }
  const archive = await store.require(req.sha256);
  if (req.dryRun) {
    const now = cur.marker ? ` (now ${cur.marker.version})` : '';
    const what = `${product.what} ${req.sha256.slice(0, 12)}…`;
    return {
      changed: true,
      description: `would unpack ${what} and point ${cur.logicalLink} at it${now}`,
      path: cur.logicalLink,
    };
  }
  const { name, version } = await unpackTree(product, archive, req.sha256, cur, signal);
  await flipSymlink(name, cur.linkPath);
  const extra = product.after ? await product.after(host, cur.linkPath, false) : undefined;
  const where = `${path.posix.join(req.installDir, name)}, ${cur.logicalLink} -> ${name}`;
  return {
    changed: true,
    description: `unpacked ${product.what} ${version} to ${where}${extra ? `; ${extra}` : ''}`,
    version,
    path: cur.logicalLink,
  };
}

/** Extract, check, mark and rename the tree into place under its versioned name (not linked yet). */
async function unpackTree(product: Product, archive: string, sha256: string, cur: Current, signal?: AbortSignal) {
  await sweepLeftovers(cur.installDir);
  const { tmp, top } = await extractToTemp(archive, cur.installDir, signal);
  killPoint(`install-${product.what.toLowerCase()}.extracted`);
  try {
    const unpacked = path.join(tmp, top);
    const version = await product.version(unpacked, top);
    const name = product.targetName(top);
    await carryOver(product, cur.dir, unpacked);
    const marker: Marker = { sha256, version, installedAt: new Date().toISOString() };
    await fs.writeFile(path.join(unpacked, MARKER), JSON.stringify(marker) + '\n');
    await renameIntoPlace(unpacked, path.join(cur.installDir, name));
    killPoint(`install-${product.what.toLowerCase()}.renamed`);
    return { name, version };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

async function carryOver(product: Product, fromDir: string | undefined, toDir: string): Promise<void> {
  if (!fromDir) return;
  for (const rel of product.carryOver ?? []) {
    const old = await fs.readFile(path.join(fromDir, rel)).catch(() => undefined);
    if (old) await fs.writeFile(path.join(toDir, rel), old);
  }
}

async function renameIntoPlace(unpacked: string, target: string): Promise<void> {
  const parent = path.dirname(target);
  if (await fs.lstat(target).catch(() => undefined)) {
    // Same version name, other content: swap the trees; the old one is removed after the rename.
    const old = path.join(parent, `.zkf-old-${randomBytes(4).toString('hex')}`);
    await fs.rename(target, old);
    await fs.rename(unpacked, target);
    await fs.rm(old, { recursive: true, force: true });
  } else {
    await fs.rename(unpacked, target);
  }
  await syncDir(parent);
}

export async function javaVersion(javaBin: string): Promise<string> {
  try {
    const { stderr, stdout } = await run(javaBin, ['-version'], { timeout: 30_000 });
    const m = /version "([^"]+)"/.exec(stderr + stdout);
    if (!m) throw new Error(`unexpected output: ${(stderr + stdout).slice(0, 200)}`);
    return m[1];
  } catch (err) {
    throw new ZkfError('COMMAND_FAILED', `${javaBin} -version failed: ${(err as Error).message.split('\n')[0]}`, {
      cause: err,
    });
  }
}

const PROFILE = '/etc/profile.d/zkfleet-java.sh';

const jdk: Product = {
  what: 'JDK',
  targetName: (top) => top,
  version: async (dir) => {
    const st = await fs.stat(path.join(dir, 'bin', 'java')).catch(() => undefined);
    if (!st) throw new ZkfError('UNSAFE_ARCHIVE', 'the archive has no bin/java: is it a JDK tarball?');
    return javaVersion(path.join(dir, 'bin', 'java'));
  },
  // JAVA_HOME in /etc/profile.d: written whole, so a re-run never appends twice (the runbook's >> does).
  after: async (host, linkPath, dryRun) => {
    const file = host.path(PROFILE);
    const want =
      `# Managed by zkfleet: the JDK installed under ${path.dirname(linkPath)}\n` +
      `export JAVA_HOME=${linkPath}\nexport PATH=$JAVA_HOME/bin:$PATH\n`;
    if ((await readFileOr(file)) === want) return undefined;
    if (!dryRun) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, want, { mode: 0o644 });
    }
    return `${dryRun ? 'would write' : 'wrote'} ${PROFILE}`;
  },
};

export function zookeeperVersionFromName(top: string): string | undefined {
  return /^(?:apache-)?zookeeper-(\d+\.\d+\.\d+[^/]*?)(?:-bin)?$/.exec(top)?.[1];
}

const zookeeper: Product = {
  what: 'ZooKeeper',
  targetName: (top) => `zookeeper-${zookeeperVersionFromName(top)}`,
  version: async (dir, top) => {
    const version = zookeeperVersionFromName(top);
    if (!version)
      throw new ZkfError(
        'UNSAFE_ARCHIVE',
        `the archive's top directory "${top}" is not zookeeper-<version> or apache-zookeeper-<version>-bin`,
      );
    if (!(await fs.stat(path.join(dir, 'bin', 'zkServer.sh')).catch(() => undefined))) {
      throw new ZkfError('UNSAFE_ARCHIVE', 'the archive has no bin/zkServer.sh: is it a ZooKeeper binary tarball?');
    }
    return version;
  },
  carryOver: ['conf/zoo.cfg'],
};

export function installJdk(host: Host, store: ArtifactStore, req: InstallReq, signal?: AbortSignal) {
  return installTarball(host, store, jdk, req, signal);
}

export function installZooKeeper(host: Host, store: ArtifactStore, req: InstallReq, signal?: AbortSignal) {
  return installTarball(host, store, zookeeper, req, signal);
}

/** Version recorded by the marker of the tree a link points at, or '' when zkfleet did not install it. */
export function installedVersion(host: Host, logicalLink: string): Promise<string> {
  return installedVersionAt(host.path(logicalLink));
}

export async function installedVersionAt(link: string): Promise<string> {
  const target = await fs.readlink(link).catch(() => undefined);
  if (!target) return '';
  return (await readMarker(path.resolve(path.dirname(link), target)))?.version ?? '';
}
