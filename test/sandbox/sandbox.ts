import { existsSync, promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { initCa, issueCertificate, certPaths, pkiPaths } from '../../shared/pki';
import { jdkTarball, jmxAgentJar, zookeeperTarball, type Artifact } from './artifacts';
import { randomBytes } from 'node:crypto';
import { ensurePrereqs } from './prereqs';
import { daemon, sh } from './sh';

/**
 * The runbook's hosts on one machine: each host is a network namespace with its own address on a bridge,
 * its own resolv.conf pointing at the DNS host's real BIND, and its own agent with its own root directory.
 * Everything is named from a prefix so `down` can find it again even after a failed `up`.
 */
export interface SandboxHost {
  name: string;
  octet: number;
  roles: Array<'zookeeper' | 'dns' | 'image'>;
}

export interface SandboxOptions {
  dir: string;
  prefix?: string; // ≤ 5 chars: bridge <prefix>0, namespaces <prefix>-<host>, veths <prefix>h<octet>
  subnet?: number; // 198.18.<subnet>.0/24
  hosts?: SandboxHost[];
  log?: (s: string) => void;
  agentPort?: number;
  coordinatorPort?: number;
  reportIntervalMs?: number;
}

export const RUNBOOK_HOSTS: SandboxHost[] = [
  { name: 'hdss7-11', octet: 11, roles: ['zookeeper', 'dns'] },
  { name: 'hdss7-12', octet: 12, roles: ['zookeeper'] },
  { name: 'hdss7-21', octet: 21, roles: ['zookeeper'] },
];

/** The ops host of the runbook's section 3: registry and image builds. */
export const OPS_HOST: SandboxHost = { name: 'hdss7-200', octet: 200, roles: ['image'] };

export interface SandboxState {
  dir: string;
  prefix: string;
  subnet: number;
  bridge: string;
  gateway: string;
  hosts: Array<
    SandboxHost & {
      ns: string;
      address: string;
      agent: string;
      root: string;
      stateDir: string;
      agentConfig: string;
      agentPid?: number;
      veth: string;
    }
  >;
  namedPid?: number;
  named?: { conf: string; rndcConf: string; pidFile: string; log: string };
  ensembleFile: string;
  pkiDir: string;
  artifacts: { jdk: Artifact; zookeeper: Artifact; jmxAgent?: Artifact };
  image?: {
    registry: string;
    registryPid?: number;
    from: string;
    tag: string;
    authFile: string;
    username: string;
    password: string;
    hostAuthFile: string;
    env: Record<string, string>;
  };
  coordinatorAddress: string;
  serveConfig: string;
}

const ZONE = 'zq.com';

export function nsName(prefix: string, host: string): string {
  return `${prefix}-${host}`;
}

function initialZone(dnsAddress: string, gateway: string, harbor: string): string {
  // The runbook's zone as an operator keeps it: comments, other records, a serial in YYYYMMDDnn form.
  return `$ORIGIN ${ZONE}.
$TTL 600    ; 10 minutes
@       IN SOA  dns.${ZONE}. dnsadmin.${ZONE}. (
                2020010501 ; serial
                10800      ; refresh (3 hours)
                900        ; retry (15 minutes)
                604800     ; expire (1 week)
                86400      ; minimum (1 day)
                )
            NS   dns.${ZONE}.
$TTL 60 ; 1 minute
dns                A    ${dnsAddress}
harbor             A    ${harbor}   ; the private registry
k8s-yaml           A    ${gateway}
; zk records below are managed by zkfleet
`;
}

export async function sandboxUp(o: SandboxOptions): Promise<SandboxState> {
  const log = o.log ?? (() => undefined);
  const prefix = o.prefix ?? 'zkf';
  const subnet = o.subnet ?? 7;
  const hostsSpec = o.hosts ?? RUNBOOK_HOSTS;
  const dir = path.resolve(o.dir);
  const agentPort = o.agentPort ?? 7443;
  if (!/^[a-z][a-z0-9]{0,4}$/.test(prefix))
    throw new Error(`sandbox prefix "${prefix}" must be 1-5 lower-case letters/digits`);
  await ensurePrereqs({ log });
  // Start from bare hosts: a previous sandbox of the same prefix is removed first (up is safe to repeat).
  await sandboxDown({ dir, prefix, log });
  await fs.mkdir(dir, { recursive: true });

  log('building test artifacts (cached after the first run)');
  const [jdk, zookeeper] = await Promise.all([jdkTarball(), zookeeperTarball()]);

  const base = `198.18.${subnet}`;
  const gateway = `${base}.1`;
  const bridge = `${prefix}0`;
  const dnsHost = hostsSpec.find((h) => h.roles.includes('dns'));
  const dnsAddress = dnsHost ? `${base}.${dnsHost.octet}` : gateway;
  const pkiDir = path.join(dir, 'pki');
  await initCa(pkiDir, { coordinatorIps: [gateway, '127.0.0.1'], coordinatorDns: ['localhost'] });

  const state: SandboxState = {
    dir,
    prefix,
    subnet,
    bridge,
    gateway,
    hosts: [],
    ensembleFile: path.join(dir, 'ensemble.yaml'),
    pkiDir,
    artifacts: { jdk, zookeeper },
    coordinatorAddress: `${gateway}:${o.coordinatorPort ?? 7400}`,
    serveConfig: path.join(dir, 'serve.yaml'),
  };
  const save = () => fs.writeFile(path.join(dir, 'sandbox.json'), JSON.stringify(state, null, 2) + '\n');

  log(`network: bridge ${bridge} ${gateway}/24`);
  await sh('ip', ['link', 'add', bridge, 'type', 'bridge']);
  await sh('sysctl', ['-qw', `net.ipv6.conf.${bridge}.disable_ipv6=1`], { allowFail: true });
  await sh('ip', ['addr', 'add', `${gateway}/24`, 'dev', bridge]);
  await sh('ip', ['link', 'set', bridge, 'up']);
  await sh('iptables', ['-C', 'FORWARD', '-i', bridge, '-o', bridge, '-j', 'ACCEPT'], { allowFail: true })
    .then(async (r) => {
      if (
        r.code !== 0 &&
        (await sh('iptables', ['-S', 'FORWARD'], { allowFail: true })).stdout.includes('-P FORWARD DROP')
      ) {
        await sh('iptables', ['-I', 'FORWARD', '-i', bridge, '-o', bridge, '-j', 'ACCEPT']);
      }
    })
    .catch(() => undefined);

  for (const h of hostsSpec) {
    const ns = nsName(prefix, h.name);
    const address = `${base}.${h.octet}`;
    const veth = `${prefix}h${h.octet}`;
    const hostDir = path.join(dir, 'hosts', h.name);
    const entry = {
      ...h,
      ns,
      address,
      veth,
      agent: `${address}:${agentPort}`,
      root: path.join(hostDir, 'root'),
      stateDir: path.join(hostDir, 'state'),
      agentConfig: path.join(hostDir, 'agent.yaml'),
    };
    state.hosts.push(entry);
    await save();
    await sh('ip', ['netns', 'add', ns]);
    await sh('ip', [
      'netns',
      'exec',
      ns,
      'sysctl',
      '-qw',
      'net.ipv6.conf.all.disable_ipv6=1',
      'net.ipv6.conf.default.disable_ipv6=1',
    ]);
    await sh('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    await sh('sysctl', ['-qw', `net.ipv6.conf.${veth}.disable_ipv6=1`], { allowFail: true });
    await sh('ip', ['link', 'set', veth, 'master', bridge, 'up']);
    await sh('ip', ['-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
    await sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
    await sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    // Bind-mounted over /etc/resolv.conf and /etc/hosts by `ip netns exec`.
    const etc = path.join('/etc/netns', ns);
    await fs.mkdir(etc, { recursive: true });
    await fs.writeFile(path.join(etc, 'resolv.conf'), `nameserver ${dnsAddress}\noptions timeout:1 attempts:2\n`);
    const hostname = (await sh('hostname', [])).stdout.trim();
    await fs.writeFile(path.join(etc, 'hosts'), `127.0.0.1 localhost\n${address} ${h.name} ${hostname}\n`);
    await fs.mkdir(entry.root, { recursive: true });
    await fs.mkdir(entry.stateDir, { recursive: true });
    await issueCertificate(pkiDir, { name: h.name, role: 'agent', ips: [address], dns: [h.name] });
  }

  if (dnsHost) {
    const h = state.hosts.find((x) => x.name === dnsHost.name)!;
    const namedDir = path.join(dir, 'hosts', h.name, 'named');
    await fs.mkdir(namedDir, { recursive: true });
    const zoneFile = path.join(h.root, 'var', 'named', `${ZONE}.zone`);
    await fs.mkdir(path.dirname(zoneFile), { recursive: true });
    const ops = hostsSpec.find((x) => x.roles.includes('image'));
    await fs.writeFile(zoneFile, initialZone(dnsAddress, gateway, ops ? `${base}.${ops.octet}` : gateway));
    const keyFile = path.join(namedDir, 'rndc.key');
    await sh('rndc-confgen', ['-a', '-k', `${prefix}-rndc`, '-c', keyFile]);
    const named = {
      conf: path.join(namedDir, 'named.conf'),
      rndcConf: path.join(namedDir, 'rndc.conf'),
      pidFile: path.join(namedDir, 'named.pid'),
      log: path.join(namedDir, 'named.log'),
    };
    await fs.writeFile(
      named.conf,
      `include "${keyFile}";
options {
  directory "${namedDir}";
  pid-file "${named.pidFile}";
  session-keyfile "${namedDir}/session.key";
  managed-keys-directory "${namedDir}";
  listen-on port 53 { ${dnsAddress}; };
  listen-on-v6 { none; };
  recursion no;
  allow-query { any; };
  dnssec-validation no;
};
controls { inet ${dnsAddress} port 953 allow { any; } keys { "${prefix}-rndc"; }; };
logging { channel main { file "${named.log}"; severity info; print-time yes; }; category default { main; }; };
zone "${ZONE}" IN { type master; file "${zoneFile}"; };
`,
    );
    await fs.writeFile(
      named.rndcConf,
      `include "${keyFile}";\noptions { default-server ${dnsAddress}; default-port 953; default-key "${prefix}-rndc"; };\n`,
    );
    state.named = named;
    state.namedPid = daemon(
      'ip',
      ['netns', 'exec', h.ns, 'named', '-4', '-f', '-c', named.conf],
      path.join(namedDir, 'named.stdout'),
    );
    await save();
    await waitFor(
      async () =>
        (
          await sh('dig', [`@${dnsAddress}`, '+short', '+time=1', '+tries=1', 'SOA', ZONE], { allowFail: true })
        ).stdout.includes('dns.'),
      15_000,
      `named on ${h.name} did not answer for ${ZONE}`,
    );
    log(`named serving ${ZONE} on ${dnsAddress}`);
  }

  const opsHost = state.hosts.find((h) => h.roles.includes('image'));
  if (opsHost) await opsUp(state, opsHost, log, save);

  const agentMain = path.resolve(__dirname, '../../agent/main.js');
  for (const h of state.hosts) {
    const tls = certPaths(pkiDir, h.name);
    const caps = [...h.roles, 'exec'];
    const lines = [
      `name: ${h.name}`,
      `listen: ${h.agent}`,
      `tls: { ca: ${pkiPaths(pkiDir).caCert}, cert: ${tls.cert}, key: ${tls.key} }`,
      `root: ${h.root}`,
      `stateDir: ${h.stateDir}`,
      `capabilities: [${[...new Set(caps)].join(', ')}]`,
      `coordinator: { address: ${state.coordinatorAddress}, reportIntervalMs: ${o.reportIntervalMs ?? 2000} }`,
      `metrics: { listen: ${h.address}:9100 }`,
    ];
    if (h.roles.includes('image') && state.image) {
      lines.push(
        `image: { registryAuth: ${state.image.hostAuthFile}, workDir: /data/dockerfile, env: ${JSON.stringify(state.image.env)} }`,
      );
    }
    if (h.roles.includes('dns') && state.named) {
      lines.push(
        `dns: { server: ${h.address}, rndc: [rndc, -c, ${state.named.rndcConf}], namedPidFile: ${state.named.pidFile} }`,
      );
    }
    await fs.writeFile(h.agentConfig, lines.join('\n') + '\n');
    h.agentPid = startAgent(state, h.name, {}, agentMain);
    await save();
  }
  await Promise.all(
    state.hosts.map((h) =>
      waitFor(
        () => tcpOpen(h.address, agentPort),
        15_000,
        `agent ${h.name} did not listen on ${h.agent} (see ${path.join(dir, 'hosts', h.name, 'agent.log')})`,
      ),
    ),
  );
  log(`agents up: ${state.hosts.map((h) => `${h.name}@${h.agent}`).join(' ')}`);

  await fs.writeFile(state.ensembleFile, ensembleYaml(state));
  // For `coordinator serve --config <dir>/serve.yaml`: where the agents send their health reports.
  await fs.writeFile(
    state.serveConfig,
    `listen: ${state.coordinatorAddress}\npki: ${pkiDir}\nstateDir: ${path.join(dir, 'coordinator-state')}\nmetrics: { listen: ${gateway}:9400 }\n`,
  );
  await save();
  return state;
}

/**
 * How the agent runs in production too (systemd/zkfleet-agent.service): a small young generation, two
 * malloc arenas and a fixed mmap threshold (large buffers go back to the kernel when freed) keep an idle
 * agent small after it has streamed a JDK upload.
 */
export const AGENT_NODE_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=96', '--expose-gc'];
export const AGENT_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

export function startAgent(
  state: SandboxState,
  name: string,
  env: Record<string, string> = {},
  agentMain = path.resolve(__dirname, '../../agent/main.js'),
): number {
  const h = state.hosts.find((x) => x.name === name)!;
  return daemon(
    'ip',
    ['netns', 'exec', h.ns, process.execPath, ...AGENT_NODE_FLAGS, agentMain, '--config', h.agentConfig],
    path.join(state.dir, 'hosts', name, 'agent.log'),
    { ...process.env, ...AGENT_ENV, ZKF_LOG_FORMAT: 'json', ...env },
  );
}

export function ensembleYaml(
  state: SandboxState,
  extra = '',
  only?: (h: SandboxState['hosts'][number]) => boolean,
): string {
  const hosts = state.hosts
    .filter((h) => !only || only(h))
    .map((h) => `  - { name: ${h.name}, address: ${h.address}, agent: ${h.agent}, roles: [${h.roles.join(', ')}] }`)
    .join('\n');
  const dns = state.hosts.find((h) => h.roles.includes('dns'));
  return `# Generated by \`npm run sandbox -- up\` for the local sandbox: the runbook's hosts as network namespaces.
name: dubbo-zk
pki: ${state.pkiDir}
coordinator: { address: ${state.coordinatorAddress} }
artifacts:
  jdk:       { path: ${state.artifacts.jdk.path}, sha256: ${state.artifacts.jdk.sha256} }
  zookeeper: { path: ${state.artifacts.zookeeper.path}, sha256: ${state.artifacts.zookeeper.sha256} }
${state.artifacts.jmxAgent ? `  jmxAgent:  { path: ${state.artifacts.jmxAgent.path}, sha256: ${state.artifacts.jmxAgent.sha256} }\n` : ''}hosts:
${hosts}
jdk: { installDir: /usr/java }
zookeeper:
  installDir: /opt
  dataDir: /data/zookeeper/data
  dataLogDir: /data/zookeeper/logs
  clientPort: 2181
  tickTime: 2000
  initLimit: 10
  syncLimit: 5
  serverName: "zk{myid}"
  myids: {}
  extra: {}
${dns ? `dns: { host: ${dns.name}, zone: ${ZONE}, zoneFile: /var/named/${ZONE}.zone }\n` : ''}${imageSection(state)}${extra}`;
}

function imageSection(state: SandboxState): string {
  const ops = state.hosts.find((h) => h.roles.includes('image'));
  if (!ops || !state.image) return '';
  return `image:
  host: ${ops.name}
  from: ${state.image.from}
  tag: ${state.image.tag}
  timezone: Asia/Shanghai
  jmxPort: 12346
  registryAuth: /etc/zkfleet/registry-auth.json
  insecure: true
`;
}

/**
 * The ops host: a real registry (CNCF distribution, htpasswd auth) in its namespace, buildah configured for
 * it, and the runbook's FROM image (public/jre:8u112) made here and pushed, since none can be pulled.
 */
async function opsUp(
  state: SandboxState,
  h: SandboxState['hosts'][number],
  log: (s: string) => void,
  save: () => Promise<void>,
): Promise<void> {
  const dir = path.join(state.dir, 'hosts', h.name);
  const reg = path.join(dir, 'registry');
  await fs.mkdir(path.join(reg, 'data'), { recursive: true });
  const username = 'zkfleet';
  const password = randomBytes(12).toString('hex');
  const htpasswd = (await sh('htpasswd', ['-Bbn', username, password])).stdout.trim();
  await fs.writeFile(path.join(reg, 'htpasswd'), htpasswd + '\n', { mode: 0o600 });
  await fs.writeFile(
    path.join(reg, 'config.yml'),
    `version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: ${path.join(reg, 'data')} }, delete: { enabled: true } }
http: { addr: "${h.address}:5000" }
auth: { htpasswd: { realm: zkfleet-sandbox, path: ${path.join(reg, 'htpasswd')} } }
`,
  );
  const registry = `harbor.${ZONE}:5000`;
  const containers = path.join(dir, 'containers');
  await fs.mkdir(containers, { recursive: true });
  await fs.writeFile(
    path.join(containers, 'storage.conf'),
    `[storage]\ndriver = "vfs"\ngraphroot = "${path.join(containers, 'storage')}"\nrunroot = "${path.join(containers, 'run')}"\n`,
  );
  await fs.writeFile(
    path.join(containers, 'registries.conf'),
    `unqualified-search-registries = []\n[[registry]]\nlocation = "${registry}"\ninsecure = true\n`,
  );
  const env = {
    CONTAINERS_STORAGE_CONF: path.join(containers, 'storage.conf'),
    CONTAINERS_REGISTRIES_CONF: path.join(containers, 'registries.conf'),
    TMPDIR: path.join(containers, 'tmp'),
  };
  await fs.mkdir(env.TMPDIR, { recursive: true });
  const hostAuthFile = '/etc/zkfleet/registry-auth.json';
  await fs.mkdir(path.join(h.root, 'etc/zkfleet'), { recursive: true });
  await fs.writeFile(path.join(h.root, hostAuthFile), JSON.stringify({ username, password }), { mode: 0o600 });
  const authFile = path.join(dir, 'auth.json');
  await fs.writeFile(
    authFile,
    JSON.stringify({ auths: { [registry]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } } }),
    { mode: 0o600 },
  );
  state.image = {
    registry,
    from: `${registry}/public/jre:8u112`,
    tag: `${registry}/base/jre8:8u112`,
    authFile,
    username,
    password,
    hostAuthFile,
    env,
  };
  state.image.registryPid = daemon(
    'ip',
    ['netns', 'exec', h.ns, 'docker-registry', 'serve', path.join(reg, 'config.yml')],
    path.join(reg, 'registry.log'),
  );
  await save();
  await waitFor(() => tcpOpen(h.address, 5000), 15_000, `the registry on ${h.name} did not listen`);
  state.artifacts.jmxAgent = await jmxAgentJar();

  // The FROM image: busybox-static + Asia/Shanghai + a stub java that records its argv.
  const rootfs = path.join(dir, 'from-rootfs');
  await fs.rm(rootfs, { recursive: true, force: true });
  for (const d of ['bin', 'usr/bin', 'usr/share/zoneinfo/Asia', 'etc', 'tmp'])
    await fs.mkdir(path.join(rootfs, d), { recursive: true });
  await fs.copyFile('/bin/busybox', path.join(rootfs, 'bin/busybox'));
  await fs.chmod(path.join(rootfs, 'bin/busybox'), 0o755);
  for (const applet of (await sh('/bin/busybox', ['--list'])).stdout.split('\n').filter((a) => a && a !== 'busybox')) {
    await fs.symlink('busybox', path.join(rootfs, 'bin', applet)).catch(() => undefined);
  }
  for (const tz of ['Asia/Shanghai', 'Asia/Tokyo'])
    await fs.copyFile(`/usr/share/zoneinfo/${tz}`, path.join(rootfs, 'usr/share/zoneinfo', tz));
  await fs.writeFile(
    path.join(rootfs, 'usr/bin/java'),
    '#!/bin/sh\n# stand-in JRE: records how it was started\necho "$$ $*" > /tmp/java-argv\necho "java $*"\n',
    { mode: 0o755 },
  );
  const inNs = async (cmd: string, args: string[]): Promise<string> =>
    (await onOpsHost(state, cmd, args)).stdout.trim();
  const cid = await inNs('buildah', ['from', 'scratch']);
  await inNs('buildah', ['copy', cid, rootfs, '/']);
  await inNs('buildah', ['config', '--env', 'PATH=/usr/bin:/bin', '--cmd', 'sh', cid]);
  await inNs('buildah', ['commit', '--format', 'docker', cid, state.image.from]);
  await inNs('buildah', ['rm', cid]);
  await inNs('buildah', [
    'push',
    '--tls-verify=false',
    '--authfile',
    authFile,
    state.image.from,
    `docker://${state.image.from}`,
  ]);
  log(`registry on ${h.name} (${registry}, htpasswd) holds ${state.image.from}`);
}

/** Run a command on the ops host as its agent would: in its namespace, with its containers config. */
export async function onOpsHost(
  state: SandboxState,
  cmd: string,
  args: string[],
  allowFail = false,
): Promise<{ stdout: string; stderr: string; code: number }> {
  const h = state.hosts.find((x) => x.roles.includes('image'))!;
  return sh(
    'ip',
    ['netns', 'exec', h.ns, 'env', ...Object.entries(state.image!.env).map(([k, v]) => `${k}=${v}`), cmd, ...args],
    { timeoutMs: 300_000, allowFail },
  );
}

export async function readSandbox(dir: string): Promise<SandboxState | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(path.resolve(dir), 'sandbox.json'), 'utf8')) as SandboxState;
  } catch {
    return undefined;
  }
}

/** Remove every namespace, link, process and file of the sandbox; safe to repeat, also after a failed up. */
export async function sandboxDown(o: {
  dir: string;
  prefix?: string;
  log?: (s: string) => void;
  keepDir?: boolean;
}): Promise<void> {
  const state = await readSandbox(o.dir);
  const prefix = state?.prefix ?? o.prefix ?? 'zkf';
  const listed = (await sh('ip', ['netns', 'list'], { allowFail: true })).stdout
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(`${prefix}-`));
  const namespaces = [...new Set([...(state?.hosts.map((h) => h.ns) ?? []), ...listed])];
  for (const ns of namespaces) {
    // Every process in the namespace (agents, ZooKeeper JVMs, named, registry), then the namespace.
    const pids = (await sh('ip', ['netns', 'pids', ns], { allowFail: true })).stdout
      .split('\n')
      .map(Number)
      .filter((p) => p > 0);
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await sh('ip', ['netns', 'del', ns], { allowFail: true });
    await fs.rm(path.join('/etc/netns', ns), { recursive: true, force: true });
  }
  for (const p of [state?.namedPid, ...(state?.hosts.map((h) => h.agentPid) ?? [])]) {
    if (p) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  const links = (await sh('ip', ['-o', 'link', 'show'], { allowFail: true })).stdout
    .split('\n')
    .map((l) => l.split(': ')[1]?.split('@')[0])
    .filter((n): n is string => !!n && (n === `${prefix}0` || new RegExp(`^${prefix}h\\d+$`).test(n)));
  for (const l of links) await sh('ip', ['link', 'del', l], { allowFail: true });
  await sh('iptables', ['-D', 'FORWARD', '-i', `${prefix}0`, '-o', `${prefix}0`, '-j', 'ACCEPT'], {
    allowFail: true,
  }).catch(() => undefined);
  if (namespaces.length || links.length) o.log?.(`removed ${namespaces.length} namespaces, ${links.length} links`);
  // Filesystems a test mounted inside the sandbox (a small tmpfs for disk-full faults).
  const root = path.resolve(o.dir) + '/';
  const mounts = (await fs.readFile('/proc/mounts', 'utf8'))
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((m) => m && m.startsWith(root));
  for (const m of mounts.sort((a, b) => b.length - a.length)) await sh('umount', ['-l', m], { allowFail: true });
  if (!o.keepDir && existsSync(o.dir)) await fs.rm(o.dir, { recursive: true, force: true });
}

export function tcpOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.on('connect', () => done(true));
    s.on('error', () => done(false));
  });
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
}
