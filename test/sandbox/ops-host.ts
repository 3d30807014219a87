import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { inMachine } from './machine';
import { ZONE, type SandboxHostState, type SandboxState } from './state';
import { sh } from './sh';

const REGISTRY_CONFIG = '/etc/docker/registry/config.yml';

/**
 * Before the ops host boots: Debian's registry (CNCF distribution) with htpasswd auth on the host's address,
 * buildah's storage and the registry marked insecure (plain HTTP), and the credentials the agent reads.
 */
export async function opsPrepare(state: SandboxState, h: SandboxHostState): Promise<void> {
  const username = 'zkfleet';
  const password = randomBytes(12).toString('hex');
  const htpasswd = (await sh('htpasswd', ['-Bbn', username, password])).stdout.trim();
  const registry = `harbor.${ZONE}:5000`;
  const w = (rel: string, text: string, mode = 0o644) => write(h.root, rel, text, mode);
  await w('etc/docker/registry/htpasswd', htpasswd + '\n', 0o644);
  await w(
    REGISTRY_CONFIG.slice(1),
    `version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: /var/lib/docker-registry }, delete: { enabled: true } }
http: { addr: "${h.address}:5000" }
auth: { htpasswd: { realm: zkfleet-sandbox, path: /etc/docker/registry/htpasswd } }
`,
  );
  await w(
    'etc/containers/storage.conf',
    '[storage]\ndriver = "vfs"\nrunroot = "/run/containers/storage"\ngraphroot = "/var/lib/containers/storage"\n',
  );
  await w(
    'etc/containers/registries.conf',
    `unqualified-search-registries = []\n[[registry]]\nlocation = "${registry}"\ninsecure = true\n`,
  );
  const hostAuthFile = '/etc/zkfleet/registry-auth.json';
  await w(hostAuthFile.slice(1), JSON.stringify({ username, password }), 0o600);
  const authFile = '/root/registry-auth.json';
  const auth = Buffer.from(`${username}:${password}`).toString('base64');
  await w(authFile.slice(1), JSON.stringify({ auths: { [registry]: { auth } } }), 0o600);
  state.image = {
    registry,
    from: `${registry}/public/jre:8u112`,
    tag: `${registry}/base/jre8:8u112`,
    authFile,
    username,
    password,
    hostAuthFile,
  };
}

async function write(root: string, rel: string, text: string, mode: number): Promise<void> {
  const file = path.join(root, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text, { mode });
  await fs.chmod(file, mode);
}

/**
 * After it booted: the runbook's FROM image (public/jre:8u112) is made on the ops host and pushed, since
 * none can be pulled from outside: busybox-static, Asia/Shanghai, and a stub java that records its argv.
 */
export async function opsUp(state: SandboxState, h: SandboxHostState, log: (s: string) => void): Promise<void> {
  const img = state.image!;
  const rootfs = '/srv/from-rootfs';
  const stubJava =
    '#!/bin/sh\n# stand-in JRE: records how it was started\necho "$$ $*" > /tmp/java-argv\necho "java $*"\n';
  await write(h.root, 'srv/from-rootfs/usr/bin/java', stubJava, 0o755);
  const script = `set -e
r=${rootfs}
mkdir -p $r/bin $r/etc $r/tmp $r/usr/share/zoneinfo/Asia
cp /bin/busybox $r/bin/busybox
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox $r/bin/$a; done
cp /usr/share/zoneinfo/Asia/Shanghai /usr/share/zoneinfo/Asia/Tokyo $r/usr/share/zoneinfo/Asia/
for i in $(seq 50); do (echo > /dev/tcp/${h.address}/5000) 2>/dev/null && break || sleep 0.2; done
c=$(buildah from scratch)
buildah copy $c $r / >/dev/null
buildah config --env PATH=/usr/bin:/bin --cmd sh $c
buildah commit --quiet --format docker $c ${img.from} >/dev/null
buildah rm $c >/dev/null
buildah push --quiet --tls-verify=false --authfile ${img.authFile} ${img.from} docker://${img.from}`;
  await inMachine(h.machine, ['bash', '-c', script], { timeoutMs: 300_000 });
  log(`registry on ${h.name} (${img.registry}, htpasswd) holds ${img.from}`);
}

/** Run a command on the ops host (buildah, skopeo against the sandbox registry). */
export function onOpsHost(state: SandboxState, cmd: string, args: string[], allowFail = false) {
  const h = state.hosts.find((x) => x.roles.includes('image'))!;
  return inMachine(h.machine, [cmd, ...args], { allowFail, timeoutMs: 300_000 });
}
