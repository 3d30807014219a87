import { existsSync } from 'node:fs';
import { has, sh } from './sh';

/** What the sandbox needs from Debian, by the file that proves it is there. */
const NEEDS: Array<{ pkg: string; proof: string }> = [
  { pkg: 'zookeeper', proof: '/usr/share/zookeeper/bin/zkServer.sh' },
  { pkg: 'openjdk-17-jdk-headless', proof: '/usr/lib/jvm/java-17-openjdk-amd64/bin/java' },
  { pkg: 'bind9', proof: '/usr/sbin/named' },
  { pkg: 'bind9-dnsutils', proof: '/usr/bin/dig' },
  { pkg: 'bind9-utils', proof: '/usr/bin/named-checkzone' },
  { pkg: 'iproute2', proof: '/usr/sbin/ip' },
  { pkg: 'procps', proof: '/usr/bin/pgrep' },
  { pkg: 'unzip', proof: '/usr/bin/unzip' },
];
const IMAGE_NEEDS: Array<{ pkg: string; proof: string }> = [
  { pkg: 'buildah', proof: '/usr/bin/buildah' },
  { pkg: 'docker-registry', proof: '/usr/bin/docker-registry' },
  { pkg: 'busybox-static', proof: '/bin/busybox' },
  { pkg: 'apache2-utils', proof: '/usr/bin/htpasswd' },
  { pkg: 'tzdata', proof: '/usr/share/zoneinfo/Asia/Shanghai' },
  { pkg: 'skopeo', proof: '/usr/bin/skopeo' },
];

/**
 * Install what is missing with apt-get (we run as root, as CI does). In CI a missing package that cannot be
 * installed is an error naming it, never a skipped test.
 */
export async function ensurePrereqs(options: { image?: boolean; log?: (s: string) => void } = {}): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the sandbox needs root (network namespaces, bind mounts): run as root');
  const needs = [...NEEDS, ...(options.image ? IMAGE_NEEDS : [])];
  const missing = needs.filter((n) => !existsSync(n.proof));
  if (!missing.length) return;
  if (!(await has('apt-get'))) throw new Error(`missing ${missing.map((m) => m.pkg).join(', ')} and no apt-get to install them`);
  options.log?.(`installing ${missing.map((m) => m.pkg).join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await sh('apt-get', ['update', '-qq'], { env, timeoutMs: 600_000 });
  await sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing.map((m) => m.pkg)], { env, timeoutMs: 1_200_000 });
  const still = missing.filter((n) => !existsSync(n.proof));
  if (still.length) throw new Error(`apt-get install did not provide ${still.map((s) => `${s.pkg} (${s.proof})`).join(', ')}`);
}
