import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { ZkfError } from '../../shared/errors';
import { sha256File } from '../../shared/hash';
import { VERSION } from '../../shared/version';
import { readTarMembers } from '../artifacts/tar-members';
import type { ReleaseInfo } from './plan';
import { RELEASE_VERSION } from './remote';

/** Where `npm run release` puts this coordinator's own release, when --release does not say. */
export function defaultReleaseFile(): string {
  return path.join(packageRoot(), 'release', `zkfleet-agent-${VERSION}-linux-x64.tar.gz`);
}

/**
 * The directory of zkfleet's package.json above this code: found by walking up, because this file runs
 * from dist/coordinator/bootstrap/ in the build and from dist/ in the bundled command.
 */
function packageRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir))
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  return process.cwd();
}

/** The release tarball: its digest (checked against its .sha256 when present), manifest and unit. */
export async function readRelease(file: string): Promise<ReleaseInfo> {
  if (!existsSync(file)) {
    throw new ZkfError('NOT_FOUND', `no release at ${file}: build it with \`npm run release\`, or pass --release FILE`);
  }
  const top = path.basename(file).replace(/\.tar\.gz$/, '');
  const names = ['MANIFEST.json', 'systemd/zkfleet-agent.service', 'systemd/zkfleet-agent.tmpfiles'];
  const [sha256, size, [manifestText, unitText, tmpfilesText]] = await Promise.all([
    sha256File(file),
    fs.stat(file).then((s) => s.size),
    members(
      file,
      names.map((n) => `${top}/${n}`),
    ),
  ]);
  const listed = await fs.readFile(`${file}.sha256`, 'utf8').catch(() => undefined);
  if (listed && listed.split(/\s/)[0] !== sha256) {
    throw new ZkfError('DIGEST_MISMATCH', `${file} does not match ${file}.sha256: a damaged or replaced release`, {
      details: { expectedSha256: listed.split(/\s/)[0], actualSha256: sha256 },
    });
  }
  type Manifest = Pick<ReleaseInfo, 'version' | 'protocolVersion' | 'minGlibc' | 'needs' | 'arch'>;
  const m = JSON.parse(manifestText) as Manifest;
  if (!RELEASE_VERSION.test(m.version))
    throw new ZkfError('INVALID_ARGUMENT', `${file}: version "${m.version}" is not a version`);
  return { file, sha256, size, unitText, tmpfilesText, ...m };
}

/** The members' texts, read in one pass that stops when it has them all (the binary comes before some). */
async function members(file: string, names: string[]): Promise<string[]> {
  const { texts } = await readTarMembers(file, () => names).catch((err: Error) => {
    throw new ZkfError('INVALID_ARGUMENT', `${file} is not a zkfleet agent release (${err.message.split('\n')[0]})`);
  });
  const missing = names.find((n) => !texts.has(n));
  if (missing) throw new ZkfError('INVALID_ARGUMENT', `${file} is not a zkfleet agent release (no ${missing} in it)`);
  return names.map((n) => texts.get(n)!);
}
