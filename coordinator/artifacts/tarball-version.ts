import path from 'node:path';
import { ZkfError } from '../../shared/errors';
import { readFileOr, writeFileAtomic } from '../../shared/fs-atomic';
import { zookeeperVersionFromName } from '../../shared/names';
import type { Ensemble } from '../ensemble/file';
import { readTarMembers } from './tar-members';
import type { Target } from './versions';

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
  let added = false;
  const of = async (kind: 'zookeeper' | 'jdk') => {
    const sha = e.spec.artifacts[kind].sha256.toLowerCase();
    if (cache[sha] === undefined) {
      cache[sha] = await (kind === 'zookeeper' ? zookeeperVersion : jdkVersion)(e.artifactPaths[kind], signal);
      added = true;
    }
    return cache[sha];
  };
  const target = { zookeeper: await of('zookeeper'), jdk: await of('jdk') };
  // Written only when it learned something: a re-run (every no-op deploy) reads the file and nothing more.
  if (added) await writeFileAtomic(file, JSON.stringify(cache, null, 2) + '\n').catch(() => undefined);
  return target;
}

async function zookeeperVersion(archive: string, signal: AbortSignal): Promise<string> {
  const { top } = await readTarMembers(archive, () => [], signal);
  const v = zookeeperVersionFromName(top);
  if (!v) {
    const why = `its top directory "${top}" is not zookeeper-<version> or apache-zookeeper-<version>-bin`;
    throw new ZkfError('UNSAFE_ARCHIVE', `${archive}: ${why}`);
  }
  return v;
}

async function jdkVersion(archive: string, signal: AbortSignal): Promise<string> {
  const { top, texts } = await readTarMembers(archive, (t) => [`${t}/release`], signal);
  const v = /^JAVA_VERSION="([^"]+)"/m.exec(texts.get(`${top}/release`) ?? '')?.[1];
  if (!v) {
    throw new ZkfError('UNSAFE_ARCHIVE', `${archive}: no ${top}/release with JAVA_VERSION: is it a JDK tarball?`);
  }
  return v;
}
