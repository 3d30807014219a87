import { createReadStream } from 'node:fs';
import { ZkfError } from '../../shared/errors';

/**
 * Text members of a tarball (gzip or not), read on the operator's machine by node-tar's parser, so no
 * particular `tar` is needed there. Reading stops as soon as every wanted member has been read: a JDK's
 * `release` file is a few hundred entries in, and inflating a whole 80 MB tarball to find it took ~1.4 s.
 * `names(top)` lists the wanted members given the archive's top directory (its first entry's first part).
 */
export async function readTarMembers(
  archive: string,
  names: (top: string) => string[],
  signal?: AbortSignal,
): Promise<{ top: string; texts: Map<string, string> }> {
  const { Parser } = await import('tar');
  return new Promise((resolve, reject) => {
    let top: string | undefined;
    let wanted = new Set<string>();
    const texts = new Map<string, string>();
    const source = createReadStream(archive, signal ? { signal } : {});
    const finish = () => {
      source.destroy();
      resolve({ top: top ?? '', texts });
    };
    const parser = new Parser({
      onReadEntry(entry) {
        const name = entry.path.replace(/^\.\//, '');
        if (top === undefined) {
          top = name.split('/')[0];
          wanted = new Set(names(top));
          if (!wanted.size) return finish();
        }
        if (!wanted.has(name)) return entry.resume();
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          texts.set(name, Buffer.concat(chunks).toString('utf8'));
          if (texts.size === wanted.size) finish();
        });
      },
    });
    parser.on('end', finish);
    parser.on('error', (err: Error) => reject(new ZkfError('UNSAFE_ARCHIVE', `${archive}: ${err.message}`)));
    source.on('error', (err) =>
      reject(signal?.aborted ? err : new ZkfError('NOT_FOUND', `cannot read ${archive}: ${err.message}`)),
    );
    source.pipe(parser);
  });
}
