import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const REPO = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(REPO, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.startsWith('generated/'))
    .map((f) => path.join(REPO, dir, f));
}

/** Each file's relative imports (type-only ones included), resolved to files of the tree. */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const imported = ts.preProcessFile(readFileSync(f, 'utf8'), true, true).importedFiles;
    const targets = imported
      .filter((r) => r.fileName.startsWith('.'))
      .map((r) => path.resolve(path.dirname(f), r.fileName))
      .flatMap((base) => [`${base}.ts`, path.join(base, 'index.ts')].filter((c) => known.has(c)).slice(0, 1));
    graph.set(f, targets);
  }
  return graph;
}

function cycleFrom(graph: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (f: string): string[] | undefined => {
    if (onPath.includes(f)) return [...onPath.slice(onPath.indexOf(f)), f];
    if (done.has(f)) return undefined;
    onPath.push(f);
    for (const t of graph.get(f) ?? []) {
      const found = visit(t);
      if (found) return found;
    }
    onPath.pop();
    done.add(f);
    return undefined;
  };
  for (const f of graph.keys()) {
    const found = visit(f);
    if (found) return found;
  }
  return undefined;
}

const rel = (f: string) => path.relative(REPO, f);
const ALL = ['agent', 'coordinator', 'shared', 'test', 'bench'].flatMap(sources);

test('no file imports a file that imports it back', () => {
  const cycle = cycleFrom(importGraph(ALL));
  assert.equal(cycle?.map(rel).join(' -> '), undefined);
});

test('agent and coordinator never import each other, and shared imports neither', () => {
  const graph = importGraph(ALL);
  const forbidden: Record<string, string[]> = {
    agent: ['coordinator'],
    coordinator: ['agent'],
    shared: ['agent', 'coordinator'],
  };
  const found: string[] = [];
  for (const [f, targets] of graph) {
    const side = rel(f).split(path.sep)[0];
    for (const t of targets)
      if (forbidden[side]?.includes(rel(t).split(path.sep)[0])) found.push(`${rel(f)} -> ${rel(t)}`);
  }
  assert.deepEqual(found, []);
});

test('hand-written code reaches the generated types only through shared/generated/wire', () => {
  const found = ALL.filter((f) => /from '[^']*generated\/proto-types\/zkfleet\/v1\//.test(readFileSync(f, 'utf8')));
  assert.deepEqual(
    found.map(rel),
    ['shared/zookeeper/mode.ts', 'shared/zookeeper/tls.ts'],
    'only the enum values ZooKeeperMode, QuorumTls and ClientTls are imported directly',
  );
});

/** Every file and folder of the tree (folders end in /), relative to the repository. */
function treePaths(): string[] {
  const out: string[] = [];
  for (const top of ['agent', 'coordinator', 'shared', 'test', 'proto', 'systemd', 'scripts', 'bench', 'examples']) {
    out.push(`${top}/`);
    for (const e of readdirSync(path.join(REPO, top), { recursive: true, withFileTypes: true })) {
      const p = path.relative(REPO, path.join(e.parentPath, e.name));
      out.push(e.isDirectory() ? `${p}/` : p);
    }
  }
  return out;
}

test('every folder and file ARCHITECTURE.md names exists in the part of the tree it is named under', () => {
  const tree = treePaths();
  const missing: string[] = [];
  let section = '';
  for (const line of readFileSync(path.join(REPO, 'ARCHITECTURE.md'), 'utf8').split('\n')) {
    const heading = /^### `([a-z]+)\/`/.exec(line);
    if (heading) section = `${heading[1]}/`;
    else if (line.startsWith('## ')) section = '';
    for (const [, name] of line.matchAll(/`((?:[a-z-]+\/)+(?:[a-z-]+\.ts)?|[a-z-]+\.ts)`/g)) {
      const found = tree.some((p) => p === name || (p.startsWith(section) && p.endsWith(`/${name}`)));
      if (!found) missing.push(`${section || '(top)'} ${name}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('no folder of agent/ or coordinator/ holds more than 15 files', () => {
  const crowded = treePaths()
    .filter((p) => /^(agent|coordinator)\/(.*\/)?$/.test(p))
    .map((dir) => [dir, readdirSync(path.join(REPO, dir)).filter((f) => f.endsWith('.ts')).length] as const)
    .filter(([, n]) => n > 15);
  assert.deepEqual(crowded, []);
});
