import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ZkfError } from '../../shared/errors';
import { SerialQueue } from '../../shared/serial-queue';
import { killPoint } from '../../shared/fault';
import { readFileOr, syncDir, writeFileAtomic } from '../../shared/fs-atomic';
import type { StepResult } from '../../shared/generated/wire';
import type { ArtifactStore } from './store';
import type { Host } from '../daemon/host';
import { zookeeperVersionFromName } from '../../shared/names';
import { required } from '../daemon/request-guard';
import type { ProductKind, StateFile } from '../daemon/state';
import {
  findTree,
  flipTo,
  linkTarget,
  MARKER,
  pruneTrees,
  readMarker,
  recordActivation,
  type Marker,
  type ProductPlace,
} from './trees';
import { discardPrestaged, livePrestageDirs, takePrestaged } from './prestage';
import { extractToTemp, sweepLeftovers } from './unpack';
import { serverPid } from '../zookeeper/runners';
import { run } from '../daemon/run';

export { readMarker, type Marker };

interface Product {
  kind: ProductKind;
  what: string;
  /** Directory name for the unpacked tree (from the archive's top directory). */
  targetName(top: string): string;
  /** Version of an unpacked tree; throws when the tree is not the product. */
  version(dir: string, top: string): Promise<string>;
  /** Extra idempotent work after the link points at a tree. */
  after?(host: Host, linkPath: string, dryRun: boolean): Promise<string | undefined>;
}

interface InstallReq {
  sha256: string;
  installDir: string;
  linkName: string;
  dryRun: boolean;
}

type Place = ProductPlace & { logicalLink: string };

function placeOf(host: Host, req: InstallReq): Place {
  const installDir = host.path(required(req.installDir, 'installDir'));
  const linkName = required(req.linkName, 'linkName');
  if (!/^[A-Za-z0-9._-]+$/.test(linkName)) {
    throw new ZkfError('INVALID_ARGUMENT', `link name "${linkName}" is not a plain file name`);
  }
  return {
    installDir,
    linkPath: path.join(installDir, linkName),
    logicalLink: path.posix.join(req.installDir, linkName),
  };
}

/**
 * A stored tarball installed under installDir/<versioned name>. No server running: the link flips at once. A
 * server running from another tree: the new tree is staged beside it and becomes current at that server's
 * restart (its turn in a roll), so no server ever runs half on one tree and half on another. The same
 * digest again: nothing to do (and a tree staged for another one is dropped).
 */
async function installTarball(
  host: Host,
  store: ArtifactStore,
  state: StateFile,
  product: Product,
  req: InstallReq,
  signal?: AbortSignal,
): Promise<StepResult> {
  const place = placeOf(host, req);
  return oneInstallPerDir(place.installDir, () => installInto(host, store, state, product, req, place, signal));
}

// The deploy installs the JDK and ZooKeeper at once. Two installs into one directory (an ensemble file may
// put both under /opt) go one after the other: each sweeps the directory's leftovers first, which would
// take the other's tree while it is being unpacked.
const installQueues = new Map<string, SerialQueue>();

function oneInstallPerDir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  let queue = installQueues.get(dir);
  if (!queue) installQueues.set(dir, (queue = new SerialQueue()));
  return queue.run(fn);
}

async function installInto(
  host: Host,
  store: ArtifactStore,
  state: StateFile,
  product: Product,
  req: InstallReq,
  place: Place,
  signal?: AbortSignal,
): Promise<StepResult> {
  // What an install killed part-way left (a tree half unpacked) goes first, whatever this one does.
  if (!req.dryRun) await sweepLeftovers(place.installDir, livePrestageDirs());
  const current = await linkTarget(place);
  const marker = current ? await readMarker(path.join(place.installDir, current)) : undefined;
  const existing = marker?.sha256 === req.sha256 ? current! : await findTree(place.installDir, req.sha256);
  // A tree unpacked as it uploaded that the install does not need (this tree is there already) goes now,
  // not 10 minutes later: a JDK's is some 300 MB.
  if (existing && !req.dryRun) await discardPrestaged(req.sha256, place.installDir);
  if (marker?.sha256 === req.sha256) return unchanged(host, state, product, place, current!, marker, req.dryRun);
  const running = !!current && (await serverRunning(state));
  if (!existing) await store.require(req.sha256);
  if (req.dryRun) return plan(product, place.logicalLink, req.sha256, marker, existing, running);
  const prestaged = existing ? undefined : takePrestaged(req.sha256, place.installDir);
  const name =
    existing ??
    (await unpackTree(
      product,
      req.sha256,
      place.installDir,
      async () => prestaged ?? extractToTemp(await store.require(req.sha256), place.installDir, signal),
    ));
  const version = (await readMarker(path.join(place.installDir, name)))!.version;
  if (running) return stage(state, product, place, name, version, marker?.version ?? current!);
  await flipTo(state, product.kind, place, name);
  await recordActivation(state);
  await pruneTrees(host, state, product.kind);
  const extra = product.after ? await product.after(host, place.linkPath, false) : undefined;
  const unpacked = `${product.what} ${version} unpacked to ${name}${prestaged ? ' as it uploaded' : ''}`;
  const how = existing ? `kept tree ${name}` : unpacked;
  return {
    changed: true,
    description: `${how}, ${place.logicalLink} -> ${name}${extra ? `; ${extra}` : ''}`,
    version,
    path: place.logicalLink,
  };
}

/** The tree waits beside the current one for the server's restart (its turn in the roll). */
async function stage(state: StateFile, product: Product, place: Place, name: string, version: string, beside: string) {
  const tree = { installDir: place.installDir, linkPath: place.linkPath, pending: name };
  await state.update((s) => ({ trees: { ...s.trees, [product.kind]: tree } }));
  const description = `${product.what} ${version} staged as ${name} beside ${beside}: current at the server's restart`;
  return { changed: true, restartNeeded: true, description, version, path: place.logicalLink };
}

async function serverRunning(state: StateFile): Promise<boolean> {
  const zk = (await state.read()).zookeeper;
  return !!zk && (await serverPid(zk)) > 0;
}

async function unchanged(
  host: Host,
  state: StateFile,
  product: Product,
  place: Place,
  current: string,
  marker: Marker,
  dryRun: boolean,
) {
  const known = (await state.read()).trees?.[product.kind];
  const dropped = known?.pending;
  const tree = { installDir: place.installDir, linkPath: place.linkPath };
  const recorded = known?.installDir === tree.installDir && known.linkPath === tree.linkPath && !dropped;
  if (!dryRun && !recorded) await state.update((s) => ({ trees: { ...s.trees, [product.kind]: tree } }));
  // An install killed between its flip and its record left the history short: it is made whole here.
  if (!dryRun) await recordActivation(state);
  const extra = product.after ? await product.after(host, place.linkPath, dryRun) : undefined;
  const same = `${place.logicalLink} -> ${current} (${product.what} ${marker.version}) unchanged`;
  const drop = dropped ? `; the staged ${dropped} is not wanted any more` : '';
  return {
    changed: !!extra || !!dropped,
    description: (extra ?? same) + drop,
    version: marker.version,
    path: place.logicalLink,
  };
}

function plan(
  product: Product,
  logicalLink: string,
  sha256: string,
  marker: Marker | undefined,
  existing: string | undefined,
  running: boolean,
): StepResult {
  const what = existing ? `the kept tree ${existing}` : `${product.what} ${sha256.slice(0, 12)}…`;
  const now = marker ? ` (now ${marker.version})` : '';
  const how = running
    ? `stage ${what} for the server's restart${now}`
    : `unpack ${what} and point ${logicalLink} at it${now}`;
  return { changed: true, restartNeeded: running, description: `would ${how}`, path: logicalLink };
}

/** Extract, check, mark and rename the tree into place under a free versioned name (not linked yet). */
async function unpackTree(
  product: Product,
  sha256: string,
  installDir: string,
  extract: () => Promise<{ tmp: string; top: string }>,
) {
  const { tmp, top } = await extract();
  killPoint(`install-${product.what.toLowerCase()}.extracted`);
  try {
    const unpacked = path.join(tmp, top);
    const version = await product.version(unpacked, top);
    const marker: Marker = { sha256, version, installedAt: new Date().toISOString(), kind: product.kind };
    await fs.writeFile(path.join(unpacked, MARKER), JSON.stringify(marker) + '\n');
    // Another build under the same name (which may be running) is never replaced: this one takes a new name.
    const base = product.targetName(top);
    const taken = !!(await fs.lstat(path.join(installDir, base)).catch(() => undefined));
    const name = taken ? `${base}-${sha256.slice(0, 8)}` : base;
    await fs.rm(path.join(installDir, name), { recursive: true, force: true });
    await fs.rename(unpacked, path.join(installDir, name));
    await syncDir(installDir);
    killPoint(`install-${product.what.toLowerCase()}.renamed`);
    return name;
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
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

/** JAVA_HOME for login shells, in POSIX sh: read by RHEL's bash and Debian's dash and bash alike. */
export function javaProfile(linkPath: string): string {
  return (
    `# Managed by zkfleet: the JDK installed under ${path.dirname(linkPath)}\n` +
    `export JAVA_HOME=${linkPath}\nexport PATH=$JAVA_HOME/bin:$PATH\n`
  );
}

const jdk: Product = {
  kind: 'jdk',
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
    const want = javaProfile(linkPath);
    if ((await readFileOr(file)) === want) return undefined;
    if (!dryRun) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, want, { mode: 0o644 });
    }
    return `${dryRun ? 'would write' : 'wrote'} ${PROFILE}`;
  },
};

const zookeeper: Product = {
  kind: 'zookeeper',
  what: 'ZooKeeper',
  targetName: (top) => `zookeeper-${zookeeperVersionFromName(top)}`,
  version: async (dir, top) => {
    const version = zookeeperVersionFromName(top);
    if (!version) {
      const why = `the archive's top directory "${top}" is not zookeeper-<version> or apache-zookeeper-<version>-bin`;
      throw new ZkfError('UNSAFE_ARCHIVE', why);
    }
    if (!(await fs.stat(path.join(dir, 'bin', 'zkServer.sh')).catch(() => undefined))) {
      throw new ZkfError('UNSAFE_ARCHIVE', 'the archive has no bin/zkServer.sh: is it a ZooKeeper binary tarball?');
    }
    return version;
  },
};

export const PRODUCTS: Record<ProductKind, Product> = { jdk, zookeeper };

export function installJdk(host: Host, store: ArtifactStore, state: StateFile, req: InstallReq, signal?: AbortSignal) {
  return installTarball(host, store, state, jdk, req, signal);
}

export function installZooKeeper(
  host: Host,
  store: ArtifactStore,
  state: StateFile,
  req: InstallReq,
  signal?: AbortSignal,
) {
  return installTarball(host, store, state, zookeeper, req, signal);
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
