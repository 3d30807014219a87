import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ZkfError } from '../shared/errors';
import { readFileOr, writeFileAtomic } from '../shared/fs-atomic';
import { zookeeperVersionFromName } from '../shared/names';
import type { Ensemble } from './ensemble';
import type { Target } from './versions';

const run = promisify(execFile);

/**
 * The versions of the ensemble file's ZooKeeper and JDK tarballs, read on the operator's machine before
 * any host is touched (a downgrade is refused there): ZooKeeper's from the archive's top directory, the
 * JDK's from its `release` file. Cached by digest in the state directory: an archive is read once.
 */
export async function artifactVersions(e: Ensemble, signal: AbortSignal): Promise<Target> {
  const file = path.join(e.stateDir, 'artifact-versions.json');
  let cache: Record<string, string> = {};
  try {
    cache = JSON.parse((await readFileOr(file)) ?? '{}') as Record<string, string>;
  } catch {
    cache = {};
  }
  const of = async (kind: 'zookeeper' | 'jdk') => {
    const sha = e.spec.artifacts[kind].sha256.toLowerCase();
    cache[sha] ??= await (kind === 'zookeeper' ? zookeeperVersion : jdkVersion)(e.artifactPaths[kind], signal);
    return cache[sha];
  };
  const target = { zookeeper: await of('zookeeper'), jdk: await of('jdk') };
  await writeFileAtomic(file, JSON.stringify(cache, null, 2) + '\n').catch(() => undefined);
  return target;
}

async function topDir(archive: string, signal: AbortSignal): Promise<string> {
  const child = spawn('tar', ['-tzf', archive], { signal, stdio: ['ignore', 'pipe', 'ignore'] });
  let first = '';
  for await (const chunk of child.stdout) {
    first += String(chunk);
    if (first.includes('\n')) break;
  }
  child.kill();
  child.on('error', () => undefined);
  return first.split('\n')[0].split('/')[0];
}

async function zookeeperVersion(archive: string, signal: AbortSignal): Promise<string> {
  const top = await topDir(archive, signal);
  const v = zookeeperVersionFromName(top);
  if (!v) {
    const why = `its top directory "${top}" is not zookeeper-<version> or apache-zookeeper-<version>-bin`;
    throw new ZkfError('UNSAFE_ARCHIVE', `${archive}: ${why}`);
  }
  return v;
}

async function jdkVersion(archive: string, signal: AbortSignal): Promise<string> {
  const top = await topDir(archive, signal);
  const { stdout } = await run('tar', ['-xzOf', archive, `${top}/release`], { signal, maxBuffer: 1 << 20 }).catch(
    () => ({ stdout: '' }),
  );
  const v = /^JAVA_VERSION="([^"]+)"/m.exec(stdout)?.[1];
  if (!v) {
    throw new ZkfError('UNSAFE_ARCHIVE', `${archive}: no ${top}/release with JAVA_VERSION: is it a JDK tarball?`);
  }
  return v;
}
