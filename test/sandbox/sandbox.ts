import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { initCa } from '../../shared/pki/pki';
import { tcpOpen } from '../../shared/tcp';
import { VERSION } from '../../shared/version';
import { jdkTarball, jmxAgentJar, zookeeperTarball } from './artifacts';
import { boot, hostKey, hostPid, inMachine, kill, mountRoot, personalize, shutdown, type Machine } from './machine';
import { opsPrepare, opsUp } from './ops-host';
import { ensurePrereqs } from './prereqs';
import { sh } from './sh';
import { ensureTree, type Suite } from './tree';
import { RUNBOOK_HOSTS, spareHosts, ZONE, type SandboxHost, type SandboxHostState, type SandboxState } from './state';

export * from './state';

/**
 * The runbook's hosts on one machine. Each host is a booted minimal Debian (systemd-nspawn) in its own
 * network namespace, with its address on a bridge, its own resolv.conf pointing at the DNS host's real
 * BIND, an SSH server, and — unless `bare` — the agent installed by `coordinator bootstrap` over SSH and
 * running under its real systemd unit. Everything is named from a prefix so `down` finds it again even
 * after a failed `up`.
 */

export interface SandboxOptions {
  dir: string;
  prefix?: string; // ≤ 5 chars: bridge <prefix>0, namespaces <prefix>-<host>, veths <prefix>h<octet>
  subnet?: number; // 198.18.<subnet>.0/24
  hosts?: SandboxHost[];
  log?: (s: string) => void;
  agentPort?: number;
  coordinatorPort?: number;
  reportIntervalMs?: number;
  /** Only SSH on the hosts: no PKI bootstrap, no agents. */
  bare?: boolean;
  /** Spare ZooKeeper hosts with agents, not in the ensemble file (hdss7-31, ...). */
  spare?: number;
  /** A small filesystem mounted at a path of a host before it boots (disk-full faults). */
  tmpfs?: Record<string, { path: string; sizeMB: number }>;
}

const REPO = path.resolve(__dirname, '../../..');

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
  if (!/^[a-z][a-z0-9]{0,4}$/.test(prefix))
    throw new Error(`sandbox prefix "${prefix}" must be 1-5 lower-case letters/digits`);
  await ensurePrereqs({ log });
  const dir = path.resolve(o.dir);
  // Start from bare hosts: a previous sandbox of the same prefix is removed first (up is safe to repeat).
  await sandboxDown({ dir, prefix, log });
  await fs.mkdir(dir, { recursive: true });
  log('root filesystem, test artifacts and the agent release (cached after the first run)');
  const suites = [...new Set<Suite>(['bookworm', ...(o.hosts ?? []).flatMap((h) => (h.suite ? [h.suite] : []))])];
  const [trees, jdk, zookeeper, release] = await Promise.all([
    Promise.all(suites.map(async (suite) => [suite, await ensureTree(log, suite)] as const)).then((t) => new Map(t)),
    jdkTarball(),
    zookeeperTarball(),
    agentRelease(),
  ]);
  const state = newState(o, dir, prefix, { jdk, zookeeper }, release);
  const save = () => fs.writeFile(path.join(dir, 'sandbox.json'), JSON.stringify(state, null, 2) + '\n');
  await save();
  await network(state, log);
  await operatorKey(state);
  await prepareHosts(state, trees, o, log);
  await save();
  await Promise.all(state.hosts.map((h) => boot(h.machine)));
  await save();
  log(`hosts booted: ${state.hosts.map((h) => `${h.name}@${h.address}`).join(' ')}`);
  await knownHosts(state);
  const ops = state.hosts.find((h) => h.roles.includes('image'));
  if (ops) {
    state.artifacts.jmxAgent = await jmxAgentJar();
    await opsUp(state, ops, log);
  }
  // Bare hosts are for the operator's own first steps: `coordinator pki init`, then bootstrap.
  if (!o.bare)
    await initCa(state.pkiDir, { coordinatorIps: [state.gateway, '127.0.0.1'], coordinatorDns: ['localhost'] });
  await fs.writeFile(state.ensembleFile, ensembleYaml(state));
  await fs.writeFile(
    state.fleetFile,
    ensembleYaml(state, '', () => true),
  );
  await fs.writeFile(state.serveConfig, serveYaml(state));
  await save();
  if (!o.bare) await bootstrapAgents(state, log);
  return state;
}

function newState(
  o: SandboxOptions,
  dir: string,
  prefix: string,
  artifacts: SandboxState['artifacts'],
  release: string,
) {
  const subnet = o.subnet ?? 7;
  const base = `198.18.${subnet}`;
  const hosts = [...(o.hosts ?? RUNBOOK_HOSTS), ...spareHosts(o.spare ?? 0)].map((h): SandboxHostState => {
    const hostDir = path.join(dir, 'hosts', h.name);
    const root = path.join(hostDir, 'root');
    const machine: Machine = {
      name: h.name,
      ns: nsName(prefix, h.name),
      root,
      upper: path.join(hostDir, 'upper'),
      work: path.join(hostDir, 'work'),
      log: path.join(hostDir, 'console.log'),
      tmpfs: o.tmpfs?.[h.name],
    };
    const address = `${base}.${h.octet}`;
    return {
      ...h,
      ns: machine.ns,
      address,
      agent: `${address}:${o.agentPort ?? 7443}`,
      veth: `${prefix}h${h.octet}`,
      root,
      stateDir: path.join(root, 'var/lib/zkfleet-agent'),
      agentConfig: path.join(root, 'etc/zkfleet/agent.yaml'),
      machine,
    };
  });
  const gateway = `${base}.1`;
  const sshDir = path.join(dir, 'ssh');
  const state: SandboxState = {
    dir,
    prefix,
    subnet,
    bridge: `${prefix}0`,
    gateway,
    hosts,
    ensembleFile: path.join(dir, 'ensemble.yaml'),
    fleetFile: path.join(dir, 'fleet.yaml'),
    pkiDir: path.join(dir, 'pki'),
    artifacts,
    coordinatorAddress: `${gateway}:${o.coordinatorPort ?? 7400}`,
    serveConfig: path.join(dir, 'serve.yaml'),
    reportIntervalMs: o.reportIntervalMs ?? 2000,
    ssh: {
      key: path.join(sshDir, 'id_ed25519'),
      knownHosts: path.join(sshDir, 'known_hosts'),
      config: path.join(sshDir, 'config'),
    },
    release,
  };
  return state;
}

/** This coordinator's agent release (`npm run release`, skipped when nothing changed). */
async function agentRelease(): Promise<string> {
  await sh(process.execPath, [path.join(REPO, 'scripts/release.js')], { timeoutMs: 600_000 });
  return path.join(REPO, 'release', `zkfleet-agent-${VERSION}-linux-x64.tar.gz`);
}

async function network(state: SandboxState, log: (s: string) => void): Promise<void> {
  const { bridge, gateway } = state;
  log(`network: bridge ${bridge} ${gateway}/24`);
  await sh('ip', ['link', 'add', bridge, 'type', 'bridge']);
  await sh('sysctl', ['-qw', `net.ipv6.conf.${bridge}.disable_ipv6=1`], { allowFail: true });
  await sh('ip', ['addr', 'add', `${gateway}/24`, 'dev', bridge]);
  await sh('ip', ['link', 'set', bridge, 'up']);
  const check = await sh('iptables', ['-C', 'FORWARD', '-i', bridge, '-o', bridge, '-j', 'ACCEPT'], {
    allowFail: true,
  }).catch(() => undefined);
  const policy = await sh('iptables', ['-S', 'FORWARD'], { allowFail: true }).catch(() => undefined);
  if (check && check.code !== 0 && policy?.stdout.includes('-P FORWARD DROP')) {
    await sh('iptables', ['-I', 'FORWARD', '-i', bridge, '-o', bridge, '-j', 'ACCEPT']);
  }
  const dns = dnsAddress(state);
  for (const h of state.hosts) {
    await sh('ip', ['netns', 'add', h.ns]);
    await sh('ip', [
      'netns',
      'exec',
      h.ns,
      'sysctl',
      '-qw',
      'net.ipv6.conf.all.disable_ipv6=1',
      'net.ipv6.conf.default.disable_ipv6=1',
    ]);
    await sh('ip', ['link', 'add', h.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.ns]);
    await sh('sysctl', ['-qw', `net.ipv6.conf.${h.veth}.disable_ipv6=1`], { allowFail: true });
    await sh('ip', ['link', 'set', h.veth, 'master', bridge, 'up']);
    await sh('ip', ['-n', h.ns, 'addr', 'add', `${h.address}/24`, 'dev', 'eth0']);
    await sh('ip', ['-n', h.ns, 'link', 'set', 'eth0', 'up']);
    await sh('ip', ['-n', h.ns, 'link', 'set', 'lo', 'up']);
    // For commands this side runs in a host's namespace (`ip netns exec ... dig`): the host's resolver.
    const etc = path.join('/etc/netns', h.ns);
    await fs.mkdir(etc, { recursive: true });
    await fs.writeFile(path.join(etc, 'resolv.conf'), `nameserver ${dns}\noptions timeout:1 attempts:2\n`);
  }
}

export function dnsAddress(state: SandboxState): string {
  return state.hosts.find((h) => h.roles.includes('dns'))?.address ?? state.gateway;
}

/** The operator's SSH key, config and known_hosts for the sandbox: host keys are checked, as on real hosts. */
async function operatorKey(state: SandboxState): Promise<void> {
  await fs.mkdir(path.dirname(state.ssh.key), { recursive: true, mode: 0o700 });
  await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'zkfleet-sandbox-operator', '-f', state.ssh.key]);
  const config = [
    `Host 198.18.${state.subnet}.*`,
    '  User root',
    `  IdentityFile ${state.ssh.key}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${state.ssh.knownHosts}`,
    '  StrictHostKeyChecking yes',
    '',
  ].join('\n');
  await fs.writeFile(state.ssh.config, config, { mode: 0o600 });
}

async function knownHosts(state: SandboxState): Promise<void> {
  const lines = state.hosts.map((h) => `${h.address} ${hostKey(h.machine)}`);
  await fs.writeFile(state.ssh.knownHosts, lines.join('\n') + '\n');
}

async function prepareHosts(
  state: SandboxState,
  trees: ReadonlyMap<Suite, string>,
  o: SandboxOptions,
  log: (s: string) => void,
) {
  const authorizedKey = await fs.readFile(`${state.ssh.key}.pub`, 'utf8');
  for (const h of state.hosts) {
    await mountRoot(h.machine, trees.get(h.suite ?? 'bookworm') ?? trees.get('bookworm')!);
    await personalize(h.machine, { address: h.address, dns: dnsAddress(state), authorizedKey });
    if (h.roles.includes('dns')) await dnsPrepare(state, h);
    if (h.roles.includes('image')) await opsPrepare(state, h);
  }
  log(`hosts prepared: ${state.hosts.length} (${o.bare ? 'bare: SSH only' : 'the agent comes by bootstrap'})`);
}

/** The DNS host's BIND serves the runbook's zone from /var/named/zq.com.zone (the CentOS path of the runbook). */
async function dnsPrepare(state: SandboxState, h: SandboxHostState): Promise<void> {
  const ops = state.hosts.find((x) => x.roles.includes('image'));
  await fs.mkdir(path.join(h.root, 'var/named'), { recursive: true });
  await fs.writeFile(
    path.join(h.root, 'var/named', `${ZONE}.zone`),
    initialZone(h.address, state.gateway, ops?.address ?? state.gateway),
  );
  const local = `zone "${ZONE}" IN { type master; file "/var/named/${ZONE}.zone"; };\n`;
  await fs.writeFile(path.join(h.root, 'etc/bind/named.conf.local'), local);
}

function serveYaml(state: SandboxState): string {
  const stateDir = path.join(state.dir, 'coordinator-state');
  return `listen: ${state.coordinatorAddress}\npki: ${state.pkiDir}\nstateDir: ${stateDir}\nmetrics: { listen: ${state.gateway}:9400 }\n`;
}

/** `coordinator bootstrap` over SSH, as an operator runs it: the agent onto every host, spares included. */
export async function bootstrapAgents(
  state: SandboxState,
  log: (s: string) => void,
  extra: string[] = [],
): Promise<void> {
  const cli = path.join(REPO, 'dist/coordinator-cli.js');
  const args = [
    'bootstrap',
    state.fleetFile ?? state.ensembleFile,
    '--ssh-config',
    state.ssh.config,
    '--release',
    state.release,
    '-q',
    ...extra,
  ];
  const r = await sh(process.execPath, [cli, ...args], { allowFail: true, timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`coordinator bootstrap failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  log(`agents bootstrapped: ${state.hosts.map((h) => h.agent).join(' ')}`);
}

export function ensembleYaml(
  state: SandboxState,
  extra = '',
  only?: (h: SandboxHostState) => boolean,
  artifacts: Partial<SandboxState['artifacts']> = {},
): string {
  const hosts = state.hosts
    .filter((h) => (only ? only(h) : !h.spare))
    .map((h) => `  - { name: ${h.name}, address: ${h.address}, agent: ${h.agent}, roles: [${h.roles.join(', ')}] }`)
    .join('\n');
  const dns = state.hosts.find((h) => h.roles.includes('dns'));
  const a = { ...state.artifacts, ...artifacts };
  return `# Generated by \`npm run sandbox -- up\` for the local sandbox: the runbook's hosts as booted machines.
name: dubbo-zk
pki: ${state.pkiDir}
coordinator: { address: ${state.coordinatorAddress}, metrics: ${state.gateway}:9400 }
agents: { reportIntervalMs: ${state.reportIntervalMs}, metricsPort: 9100 }
artifacts:
  jdk:       { path: ${a.jdk.path}, sha256: ${a.jdk.sha256} }
  zookeeper: { path: ${a.zookeeper.path}, sha256: ${a.zookeeper.sha256} }
${a.jmxAgent ? `  jmxAgent:  { path: ${a.jmxAgent.path}, sha256: ${a.jmxAgent.sha256} }\n` : ''}hosts:
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
  heapMB: 256
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
  registryAuth: ${state.image.hostAuthFile}
  insecure: true
`;
}

/** Run a command on a sandbox host as root (in all of its namespaces). */
export function onHost(
  h: SandboxHostState,
  argv: string[],
  o: { input?: string; allowFail?: boolean; timeoutMs?: number } = {},
) {
  return inMachine(h.machine, argv, o);
}

/** The agent's unit: restart it (with extra environment, for kill points), or stop it. */
export async function restartAgent(h: SandboxHostState, env: Record<string, string> = {}): Promise<void> {
  const lines = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  await fs.writeFile(path.join(h.root, 'etc/default/zkfleet-agent'), lines.join('\n') + '\n');
  // An automatic restart under way (after a kill) would be cut short by this one: let it settle first, and
  // clear the start limit that a run of kills may have reached.
  await waitFor(async () => (await agentUnit(h, 'ActiveState')) !== 'activating', 15_000, `${h.name} agent settled`);
  await onHost(h, ['systemctl', 'reset-failed', 'zkfleet-agent'], { allowFail: true });
  await onHost(h, ['systemctl', 'restart', 'zkfleet-agent']);
  await waitFor(() => tcpOpen(h.address, Number(h.agent.split(':')[1])), 15_000, `${h.name} agent up`);
}

/** The agent's main process only (as an OOM kill would): ZooKeeper, in the same unit, stays. */
export async function killAgent(h: SandboxHostState): Promise<void> {
  await onHost(h, ['systemctl', 'kill', '--kill-whom=main', '--signal=SIGKILL', 'zkfleet-agent']);
}

/** A property of the agent's unit (`systemctl show`), e.g. NRestarts, MainPID, ActiveState. */
export async function agentUnit(h: SandboxHostState, property: string): Promise<string> {
  return (await onHost(h, ['systemctl', 'show', '-p', property, '--value', 'zkfleet-agent'])).stdout.trim();
}

/** The agent's log: its journal on the host (JSON lines). */
export async function agentLog(h: SandboxHostState): Promise<string> {
  return (await onHost(h, ['journalctl', '-u', 'zkfleet-agent', '-o', 'cat', '--no-pager'], { timeoutMs: 30_000 }))
    .stdout;
}

/** Kill a process of a host by the pid the host sees (a ZooKeeper server's pid from the agent). */
export async function killOnHost(h: SandboxHostState, pid: number, signal = 'KILL'): Promise<void> {
  await onHost(h, ['kill', `-${signal}`, String(pid)]);
}

/** Power a host off in order (as a shutdown would) or boot it again; the sandbox's state keeps its pid. */
export async function powerHost(dir: string, name: string, on: boolean): Promise<SandboxHostState> {
  const state = await readSandbox(dir);
  if (!state) throw new Error(`no sandbox in ${dir}`);
  const h = state.hosts.find((x) => x.name === name);
  if (!h) throw new Error(`no host ${name} in the sandbox (hosts: ${state.hosts.map((x) => x.name).join(', ')})`);
  const running = !!h.machine.nspawnPid && existsSync(`/proc/${h.machine.nspawnPid}`);
  if (on && !running) await boot(h.machine);
  if (!on && running) await shutdown(h.machine);
  await fs.writeFile(path.join(state.dir, 'sandbox.json'), JSON.stringify(state, null, 2) + '\n');
  return h;
}

export async function readSandbox(dir: string): Promise<SandboxState | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(path.resolve(dir), 'sandbox.json'), 'utf8')) as SandboxState;
  } catch {
    return undefined;
  }
}

/** Remove every machine, mount, namespace, link and file of the sandbox; safe to repeat, also after a failed up. */
export async function sandboxDown(o: { dir: string; prefix?: string; log?: (s: string) => void; keepDir?: boolean }) {
  const dir = path.resolve(o.dir);
  const state = await readSandbox(dir);
  const prefix = state?.prefix ?? o.prefix ?? 'zkf';
  for (const h of state?.hosts ?? []) kill(h.machine);
  await killStrays(dir);
  const listed = (await sh('ip', ['netns', 'list'], { allowFail: true })).stdout
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(`${prefix}-`));
  const namespaces = [...new Set([...(state?.hosts.map((h) => h.ns) ?? []), ...listed])];
  for (const ns of namespaces) {
    const pids = (await sh('ip', ['netns', 'pids', ns], { allowFail: true })).stdout
      .split('\n')
      .map(Number)
      .filter((p) => p > 0);
    for (const p of pids) signal(p, 'SIGKILL');
    await sh('ip', ['netns', 'del', ns], { allowFail: true });
    await fs.rm(path.join('/etc/netns', ns), { recursive: true, force: true });
  }
  const links = (await sh('ip', ['-o', 'link', 'show'], { allowFail: true })).stdout
    .split('\n')
    .map((l) => l.split(': ')[1]?.split('@')[0])
    .filter((n): n is string => !!n && (n === `${prefix}0` || new RegExp(`^${prefix}h\\d+$`).test(n)));
  for (const l of links) await sh('ip', ['link', 'del', l], { allowFail: true });
  await sh('iptables', ['-D', 'FORWARD', '-i', `${prefix}0`, '-o', `${prefix}0`, '-j', 'ACCEPT'], {
    allowFail: true,
  }).catch(() => undefined);
  await unmountUnder(dir);
  if (namespaces.length || links.length) o.log?.(`removed ${namespaces.length} hosts, ${links.length} links`);
  if (!o.keepDir && existsSync(dir)) await fs.rm(dir, { recursive: true, force: true });
}

function signal(pid: number, s: NodeJS.Signals): void {
  try {
    process.kill(pid, s);
  } catch {
    // gone
  }
}

/** nspawn processes of this sandbox that the state file does not know (an up that died half-way). */
async function killStrays(dir: string): Promise<void> {
  const pids = await pgrep(`systemd-nspawn .*-D ${dir}/hosts/`);
  for (const p of pids) {
    const children = await fs.readFile(`/proc/${p}/task/${p}/children`, 'utf8').catch(() => '');
    for (const c of children.trim().split(/\s+/).map(Number).filter(Boolean)) signal(c, 'SIGKILL');
    signal(p, 'SIGKILL');
  }
  // A `coordinator serve` of the sandbox outlives a test process that died: it would answer the next run's
  // agents with this sandbox's CA.
  for (const p of await pgrep(`serve --config ${dir}/`)) signal(p, 'SIGKILL');
  // And its Prometheus (`sandbox prometheus`), whose storage lives in the sandbox directory.
  for (const p of await pgrep(`prometheus .*--storage.tsdb.path=${dir}/`)) signal(p, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while (pids.some((p) => existsSync(`/proc/${p}`)) && Date.now() < deadline) await sleep(50);
}

/** The pids whose command lines match `pattern` (none: an empty list). */
async function pgrep(pattern: string): Promise<number[]> {
  const r = await sh('pgrep', ['-f', pattern], { allowFail: true });
  return r.stdout
    .split('\n')
    .map(Number)
    .filter((p) => p > 0);
}

/** Every filesystem mounted under the sandbox (host roots, tmpfs for faults), deepest first. */
async function unmountUnder(dir: string): Promise<void> {
  const root = dir + '/';
  for (let round = 0; round < 5; round++) {
    const mounts = (await fs.readFile('/proc/mounts', 'utf8'))
      .split('\n')
      .map((l) => l.split(' ')[1]?.replace(/\\040/g, ' '))
      .filter((m): m is string => !!m && m.startsWith(root));
    if (!mounts.length) return;
    for (const m of mounts.sort((a, b) => b.length - a.length)) await sh('umount', ['-l', m], { allowFail: true });
  }
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
}

/** The agent's main process as this side's pid (for /proc figures). */
export async function agentHostPid(h: SandboxHostState): Promise<number> {
  return hostPid(h.machine, Number(await agentUnit(h, 'MainPID')));
}
