import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { artifactVersions } from '../../coordinator/artifacts/tarball-version';
import type { Ensemble } from '../../coordinator/ensemble/file';
import { sha256 } from '../../shared/hash';
import { tmpDir } from '../helpers';
import { sh } from '../sandbox/sh';

/** A gzip tarball of `files` under the top directory `top`, entries in the order given. */
async function tarball(dir: string, top: string, files: Record<string, string | Buffer>): Promise<string> {
  const src = path.join(dir, `src-${top}`);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(src, top, name)), { recursive: true });
    writeFileSync(path.join(src, top, name), content);
  }
  const file = path.join(dir, `${top}.tar.gz`);
  const names = Object.keys(files).map((n) => `${top}/${n}`);
  await sh('tar', ['-C', src, '--no-recursion', '-czf', file, ...names]);
  return file;
}

function ensembleOf(dir: string, zookeeper: string, jdk: string): Ensemble {
  const artifact = (f: string) => ({ sha256: sha256(readFileSync(f)) });
  return {
    stateDir: dir,
    spec: { artifacts: { zookeeper: artifact(zookeeper), jdk: artifact(jdk) } },
    artifactPaths: { zookeeper, jdk },
  } as unknown as Ensemble;
}

test('versions: ZooKeeper from the top directory, the JDK from a release file far into the archive', async (t) => {
  const dir = tmpDir(t);
  const zk = await tarball(dir, 'apache-zookeeper-3.8.4-bin', { 'bin/zkServer.sh': '#!/bin/sh\n' });
  const bulk = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`lib/f${i}`, randomBytes(4096)]));
  const jdk = await tarball(dir, 'jdk-17.0.9+9', {
    ...bulk,
    release: 'IMPLEMENTOR="Eclipse Adoptium"\nJAVA_VERSION="17.0.9"\n',
    'bin/java': '#!/bin/sh\n',
  });
  const target = await artifactVersions(ensembleOf(dir, zk, jdk), new AbortController().signal);
  assert.deepEqual(target, { zookeeper: '3.8.4', jdk: '17.0.9' });
  const cached = JSON.parse(readFileSync(path.join(dir, 'artifact-versions.json'), 'utf8')) as object;
  assert.deepEqual(Object.values(cached).sort(), ['17.0.9', '3.8.4']);
});

test('versions: a JDK without a release file, a ZooKeeper of another name, a non-archive: refused', async (t) => {
  const dir = tmpDir(t);
  const zk = await tarball(dir, 'apache-zookeeper-3.8.4-bin', { 'bin/zkServer.sh': '#!/bin/sh\n' });
  const noRelease = await tarball(dir, 'jdk-x', { 'bin/java': '#!/bin/sh\n' });
  const signal = new AbortController().signal;
  await assert.rejects(
    artifactVersions(ensembleOf(dir, zk, noRelease), signal),
    (e: { code: string; message: string }) =>
      e.code === 'UNSAFE_ARCHIVE' && /no jdk-x\/release with JAVA_VERSION/.test(e.message),
  );
  const other = await tarball(dir, 'kafka-3.6.0', { 'bin/kafka.sh': '#!/bin/sh\n' });
  await assert.rejects(
    artifactVersions(ensembleOf(dir, other, noRelease), signal),
    (e: { code: string; message: string }) => e.code === 'UNSAFE_ARCHIVE' && /"kafka-3\.6\.0" is not/.test(e.message),
  );
  const garbage = path.join(dir, 'garbage.tar.gz');
  writeFileSync(garbage, randomBytes(64 << 10));
  await assert.rejects(
    artifactVersions(ensembleOf(dir, garbage, noRelease), signal),
    (e: { code: string }) => e.code === 'UNSAFE_ARCHIVE',
  );
});
