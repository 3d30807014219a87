import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { sh } from './sh';

/**
 * The root filesystem every sandbox host boots from: a minimal Debian bookworm with systemd, an SSH server,
 * BIND, the registry and buildah, made with mmdebstrap from the Debian mirror apt already uses. Built once
 * (~45 s) into the cache and shared read-only: each host boots it with its own writable layer on top. A host
 * of an older suite (bullseye: glibc 2.31, systemd 247) boots a tree of its own, with what a ZooKeeper host has.
 */
export type Suite = 'bookworm' | 'bullseye';

export const PACKAGES = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'iproute2',
  'openssh-server',
  'procps',
  'passwd',
  'bind9',
  'bind9-utils',
  'bind9-dnsutils',
  'buildah',
  'skopeo',
  'docker-registry',
  'busybox-static',
  'tzdata',
];

const PACKAGES_OF: Record<Suite, string[]> = {
  bookworm: PACKAGES,
  bullseye: ['systemd', 'systemd-sysv', 'dbus', 'iproute2', 'openssh-server', 'procps', 'passwd', 'tzdata'],
};

const CACHE = path.resolve(__dirname, '../../../.cache/nspawn');

/** The mirror this machine's apt uses (the sandbox reaches nothing else). */
async function mirror(): Promise<string> {
  const sources = await sh('sh', ['-c', 'cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources 2>/dev/null'], {
    allowFail: true,
  });
  const m = /(https?:\/\/[^\s]*debian\.org\/debian)\b/.exec(sources.stdout);
  return m?.[1] ?? 'http://deb.debian.org/debian';
}

export async function ensureTree(
  log: (s: string) => void = () => undefined,
  suite: Suite = 'bookworm',
): Promise<string> {
  const packages = PACKAGES_OF[suite];
  const key = createHash('sha256').update(packages.join(',')).digest('hex').slice(0, 12);
  const tree = path.join(CACHE, `${suite}-${key}`);
  if (existsSync(path.join(tree, '.complete'))) return tree;
  await fs.rm(tree, { recursive: true, force: true });
  await fs.mkdir(CACHE, { recursive: true });
  const tmp = `${tree}.tmp`;
  await fs.rm(tmp, { recursive: true, force: true });
  log(`building the hosts' root filesystem (${suite}) with mmdebstrap (once, ~1 min): ${tmp}`);
  const hooks = [
    // Every host makes its own SSH host keys at first boot; none may share the tree's.
    '--customize-hook=rm -f "$1"/etc/ssh/ssh_host_*',
    '--customize-hook=rm -f "$1"/etc/machine-id "$1"/var/lib/dbus/machine-id',
  ];
  await sh(
    'mmdebstrap',
    ['--variant=minbase', `--include=${packages.join(',')}`, ...hooks, suite, tmp, await mirror()],
    {
      timeoutMs: 1_200_000,
    },
  );
  await fs.writeFile(path.join(tmp, '.complete'), new Date().toISOString());
  await fs.rename(tmp, tree);
  return tree;
}
