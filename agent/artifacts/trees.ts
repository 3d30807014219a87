import { promises as fs } from 'node:fs';
import path from 'node:path';
import { flipSymlink, readFileOr } from '../../shared/fs-atomic';
import { byCodePoint } from '../../shared/names';
import type { Host } from '../daemon/host';
import type { ProductKind, StateFile } from '../daemon/state';

/**
 * The installed trees of the JDK and of ZooKeeper: versioned directories with a marker (the artifact's
 * digest and version), and the link (`/usr/java/jdk`, `/opt/zookeeper`) that says which one a server starts
 * from. A tree for a running server is staged beside the current one and becomes current only at that
 * server's restart; each activation is remembered, so a rollback knows what ran before. The current tree
 * and the two before it are kept, older ones pruned.
 */
export const MARKER = '.zkfleet-artifact.json';
const KEEP_ACTIVATIONS = 3;

export interface Marker {
  sha256: string;
  version: string;
  installedAt: string;
  /** Which product the tree is (markers written before 0.4 lack it: told by the tree's contents). */
  kind?: ProductKind;
}

export async function readMarker(dir: string): Promise<Marker | undefined> {
  const text = await readFileOr(path.join(dir, MARKER));
  try {
    return text ? (JSON.parse(text) as Marker) : undefined;
  } catch {
    return undefined;
  }
}

/** Where a product lives on a host (real paths). */
export interface ProductPlace {
  installDir: string;
  linkPath: string;
}

/** The directory name the link points at, or undefined. */
export async function linkTarget(place: ProductPlace): Promise<string | undefined> {
  const t = await fs.readlink(place.linkPath).catch(() => undefined);
  return t ? path.basename(t) : undefined;
}

/**
 * The trees zkfleet installed under a directory: real directories with a marker. The links beside them are
 * not trees, and both products may share one directory (`/opt`), so each tree says which product it is.
 */
async function installedTrees(
  installDir: string,
): Promise<Array<{ name: string; marker: Marker; kind?: ProductKind }>> {
  const entries = await fs.readdir(installDir, { withFileTypes: true }).catch(() => []);
  const trees = [];
  for (const e of entries.filter((x) => x.isDirectory() && !x.name.startsWith('.'))) {
    const dir = path.join(installDir, e.name);
    const marker = await readMarker(dir);
    if (marker) trees.push({ name: e.name, marker, kind: marker.kind ?? (await kindByContents(dir)) });
  }
  return trees;
}

async function kindByContents(dir: string): Promise<ProductKind | undefined> {
  const has = (f: string) =>
    fs.stat(path.join(dir, f)).then(
      () => true,
      () => false,
    );
  if (await has('bin/java')) return 'jdk';
  if (await has('bin/zkServer.sh')) return 'zookeeper';
  return undefined;
}

/** A tree already installed with this digest (a kept previous tree, a staged one), by its marker. */
export async function findTree(installDir: string, sha256: string): Promise<string | undefined> {
  return (await installedTrees(installDir)).find((t) => t.marker.sha256 === sha256)?.name;
}

/** The version a tree's marker records, '' when zkfleet did not install it. */
export async function versionOf(installDir: string, name: string | undefined): Promise<string> {
  return name ? ((await readMarker(path.join(installDir, name)))?.version ?? '') : '';
}

/** Point the link at a tree (an atomic rename) and remember where each product now is. */
export async function flipTo(state: StateFile, kind: ProductKind, place: ProductPlace, name: string): Promise<boolean> {
  const changed = await flipSymlink(name, place.linkPath);
  const tree = { installDir: place.installDir, linkPath: place.linkPath };
  await state.update((s) => ({ trees: { ...s.trees, [kind]: tree } }));
  return changed;
}

/** Record what the servers now start from; forget activations older than the ones kept. */
export async function recordActivation(state: StateFile): Promise<void> {
  const s = await state.read();
  const now = {
    zookeeper: await currentOf(s.trees?.zookeeper),
    jdk: await currentOf(s.trees?.jdk),
    at: new Date().toISOString(),
  };
  const history = s.activations ?? [];
  const last = history.at(-1);
  if (last && last.zookeeper === now.zookeeper && last.jdk === now.jdk) return;
  // The first install fills its record in (the JDK, then ZooKeeper): that is one activation, not two.
  const filling = last && (['zookeeper', 'jdk'] as const).every((k) => !last[k] || last[k] === now[k]);
  const next = filling ? [...history.slice(0, -1), now] : [...history, now];
  await state.update({ activations: next.slice(-KEEP_ACTIVATIONS) });
}

async function currentOf(place: ProductPlace | undefined): Promise<string | undefined> {
  return place ? linkTarget(place) : undefined;
}

/** The trees a server started now would run from (`next`: a staged tree counts, as at its restart in a roll). */
export async function startTrees(state: StateFile, next: boolean): Promise<{ zookeeper: string; jdk: string }> {
  const trees = (await state.read()).trees ?? {};
  const of = async (kind: ProductKind) => {
    const t = trees[kind];
    if (!t) return '';
    return (next ? t.pending : undefined) ?? (await linkTarget(t)) ?? '';
  };
  return { zookeeper: await of('zookeeper'), jdk: await of('jdk') };
}

/**
 * Remove the trees zkfleet installed beyond the ones kept: the current and staged trees, those of the
 * remembered activations, and the two installed most recently besides (a rollback's tree stays, so going
 * forward again unpacks nothing).
 */
export async function pruneTrees(host: Host, state: StateFile, kind: ProductKind): Promise<string[]> {
  const s = await state.read();
  const place = s.trees?.[kind];
  if (!place) return [];
  const keep = new Set([await linkTarget(place), place.pending, ...(s.activations ?? []).map((a) => a[kind])]);
  const mine = (await installedTrees(place.installDir)).filter((t) => t.kind === kind);
  const others = mine
    .filter((t) => !keep.has(t.name))
    .map((t) => ({ name: t.name, at: t.marker.installedAt }))
    .sort((a, b) => byCodePoint(b.at, a.at));
  const removed = others.slice(KEEP_ACTIVATIONS - 1).map((t) => t.name);
  for (const n of removed) await fs.rm(path.join(place.installDir, n), { recursive: true, force: true });
  if (removed.length) host.log.info('old trees removed', { kind, removed });
  return removed;
}
