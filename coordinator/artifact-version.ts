import { createReadStream } from 'node:fs';
import path from 'node:path';
import { ZkfError } from '../shared/errors';
import { readFileOr, writeFileAtomic } from '../shared/fs-atomic';
import { zookeeperVersionFromName } from '../shared/names';
import type { Ensemble } from './ensemble';
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
  const of = async (kind: 'zookeeper' | 'jdk') => {
    const sha = e.spec.artifacts[kind].sha256.toLowerCase();
    cache[sha] ??= await (kind === 'zookeeper' ? zookeeperVersion : jdkVersion)(e.artifactPaths[kind], signal);
    return cache[sha];
  };
  const target = { zookeeper: await of('zookeeper'), jdk: await of('jdk') };
  await writeFileAtomic(file, JSON.stringify(cache, null, 2) + '\n').catch(() => undefined);
  return target;
}

/**
 * The archive's top directory and, when `member` is named, that file's text: the archive is read only until
 * both are known (a JDK's `release` is a few hundred entries in; inflating the whole 80 MB took ~1.4 s of a
 * cold deploy), by node-tar's parser, so no particular tar is needed on the operator's machine.
 */
async function readArchiveHead(
  archive: string,
  signal: AbortSignal,
  member?: string,
): Promise<{ top: string; text?: string }> {
  const { Parser } = await import('tar');
  return new Promise((resolve, reject) => {
    let top: string | undefined;
    const source = createReadStream(archive, { signal });
    const done = (r: { top: string; text?: string }) => {
      source.destroy();
      resolve(r);
    };
    const parser = new Parser({
      onReadEntry(entry) {
        const name = entry.path.replace(/^\.\//, '');
        top ??= name.split('/')[0];
        if (!member) return done({ top });
        if (name !== `${top}/${member}`) return entry.resume();
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => done({ top: top!, text: Buffer.concat(chunks).toString('utf8') }));
      },
    });
    parser.on('end', () => resolve({ top: top ?? '' }));
    parser.on('error', (err: Error) => reject(new ZkfError('UNSAFE_ARCHIVE', `${archive}: ${err.message}`)));
    source.on('error', (err) =>
      reject(signal.aborted ? err : new ZkfError('NOT_FOUND', `cannot read ${archive}: ${err.message}`)),
    );
    source.pipe(parser);
  });
}

async function zookeeperVersion(archive: string, signal: AbortSignal): Promise<string> {
  const { top } = await readArchiveHead(archive, signal);
  const v = zookeeperVersionFromName(top);
  if (!v) {
    const why = `its top directory "${top}" is not zookeeper-<version> or apache-zookeeper-<version>-bin`;
    throw new ZkfError('UNSAFE_ARCHIVE', `${archive}: ${why}`);
  }
  return v;
}

async function jdkVersion(archive: string, signal: AbortSignal): Promise<string> {
  const { top, text } = await readArchiveHead(archive, signal, 'release');
  const v = /^JAVA_VERSION="([^"]+)"/m.exec(text ?? '')?.[1];
  if (!v) {
    throw new ZkfError('UNSAFE_ARCHIVE', `${archive}: no ${top}/release with JAVA_VERSION: is it a JDK tarball?`);
  }
  return v;
}
