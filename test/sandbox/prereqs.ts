import { existsSync } from 'node:fs';
import path from 'node:path';
import { has, sh } from './sh';

/** The one list of Debian packages (scripts/setup.sh reads it too), each with the file that proves it. */
const NEEDS = require(path.resolve(__dirname, '../../../scripts/debian-packages.json')) as Array<{
  pkg: string;
  proof: string;
}>;

/**
 * Install what is missing with apt-get (we run as root, as CI does). A package that cannot be installed is
 * an error naming it, never a skipped test.
 */
export async function ensurePrereqs(options: { log?: (s: string) => void } = {}): Promise<void> {
  if (process.getuid?.() !== 0)
    throw new Error('the sandbox needs root (network namespaces, bind mounts): run as root');
  const missing = NEEDS.filter((n) => !existsSync(n.proof));
  if (!missing.length) return;
  if (!(await has('apt-get')))
    throw new Error(`missing ${missing.map((m) => m.pkg).join(', ')} and no apt-get to install them`);
  options.log?.(`installing ${missing.map((m) => m.pkg).join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await sh('apt-get', ['update', '-qq'], { env, timeoutMs: 600_000 });
  await sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing.map((m) => m.pkg)], {
    env,
    timeoutMs: 1_200_000,
  });
  const still = missing.filter((n) => !existsSync(n.proof));
  if (still.length)
    throw new Error(`apt-get install did not provide ${still.map((s) => `${s.pkg} (${s.proof})`).join(', ')}`);
}
