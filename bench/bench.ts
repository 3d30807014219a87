import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentConnection } from '../coordinator/fleet/agent-client';
import type { DeployResult } from '../coordinator/deploy';
import { certPaths, issueCertificate, pkiPaths } from '../shared/pki/pki';
import { loadTls } from '../shared/pki/tls';
import { REPO } from '../test/helpers';
import {
  ensembleYaml,
  readSandbox,
  RUNBOOK_HOSTS,
  agentHostPid,
  restartAgent,
  sandboxDown,
  sandboxUp,
  waitFor,
  type SandboxState,
} from '../test/sandbox/sandbox';
import { sh } from '../test/sandbox/sh';
import { EXTRACT_FLAGS } from '../agent/artifacts/unpack';
import { tarOverFile } from '../agent/artifacts/tar-run';
import { JDK_DEFAULTS } from '../shared/defaults';
import { tcpOpen } from '../shared/tcp';
import { fmt, percentile, stat, type Stat } from './stats';

/**
 * `npm run bench`: the figures in the README, measured in the sandbox on this machine. Not part of the test
 * suite's pass/fail. Options (env): BENCH_RUNS (default 3), BENCH_QUICK=1 (fewer runs, shorter windows).
 */
const RUNS = Number(process.env.BENCH_RUNS ?? (process.env.BENCH_QUICK ? 2 : 3));
const PREFIX = 'zkb';
const SUBNET = 75;
const DIR = path.join(os.tmpdir(), 'zkf-bench');
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

interface Results {
  machine: { cpus: number; cpuModel: string; memoryGiB: number; kernel: string; node: string; date: string };
  coldDeploy: Stat & { phases: Record<string, Stat>; steps: Record<string, Stat> };
  /** `node -e 0`: what starting Node costs on this machine, the unit of the whole-CLI rows. */
  nodeStart: Stat;
  noopDeploy: Stat & { cli: Stat };
  rollingRestart: Stat;
  execFanout3: Stat & { cli: Stat; unbundled: Stat };
  execFanout50: Stat;
  execFanout200: Stat & { packRssMB: number };
  healthIngestion: {
    reportsPerSecond: number;
    p50Ms: number;
    p99Ms: number;
    pacedRate: number;
    pacedP99Ms: number;
    reporters: number;
    seconds: number;
    coordinatorRssMB: number;
    serverCpuUsPerReport: number;
  };
  agentFootprint: {
    rssMB: number;
    anonMB: number;
    fileMB: number;
    cpuPercent: number;
    seconds: number;
    afterDeployRssMB: number;
    /** The agent the upload rows used: a deploy and 2 × RUNS JDK uploads, half of them unpacked. */
    afterUploadsRssMB: number;
    /** A bare `node` waiting on a timer: the floor any Node process starts from here. */
    nodeFloor: { rssMB: number; anonMB: number; fileMB: number };
  };
  upload: Stat;
  /** Milliseconds of the agent's CPU per /metrics scrape (its own series and its server's `mntr`). */
  metricsScrape?: Stat;
  /**
   * Seconds: the JDK's upload with its unpack (the deploy's way); the agent's own unpack of the stored file
   * alone (zlib in front of tar, what the upload should hide behind); GNU tar with gzip unpacking it alone.
   */
  uploadUnpack: {
    together: Stat;
    agentUnpackAlone: Stat;
    unpackAlone: Stat;
    /** CPU seconds of one upload with its unpack: the agent (its zlib thread too), its tar, the sender. */
    cpu: { agent: Stat; tar: Stat; sender: Stat };
  };
}

function ingestionCell(h: Results['healthIngestion']): string {
  const perCore = Math.round(1e6 / h.serverCpuUsPerReport);
  return [
    `server CPU ${h.serverCpuUsPerReport.toFixed(0)} µs/report ≈ ${perCore} reports/s per core`,
    `back to back: ${h.reportsPerSecond} reports/s from ${h.reporters} report streams (load on the same 2 cores)`,
    `p99 ${h.p99Ms.toFixed(1)} ms; paced: p99 ${h.pacedP99Ms.toFixed(1)} ms at ${h.pacedRate}/s`,
  ].join('; ');
}

function footprintCell(f: Results['agentFootprint']): string {
  const mb = (x: number) => `${x.toFixed(0)} MB`;
  return [
    `${mb(f.rssMB)} RSS idle (${mb(f.anonMB)} heap and other anonymous, ${mb(f.fileMB)} pages of the executable)`,
    `${f.cpuPercent.toFixed(2)} % CPU over ${f.seconds} s`,
    `${mb(f.afterUploadsRssMB)} after the JDK uploads below, ${mb(f.afterDeployRssMB)} on an agent that did a deploy`,
    `a bare \`node\` waiting on a timer: ${mb(f.nodeFloor.rssMB)} (${mb(f.nodeFloor.anonMB)} + ${mb(f.nodeFloor.fileMB)})`,
  ].join('; ');
}

const medianSeconds = (x: Stat) => `${x.median.toFixed(2)} s`;

function uploadCell(r: Results): string {
  const { together, agentUnpackAlone, unpackAlone, cpu: c } = r.uploadUnpack;
  const extra = ((together.median / agentUnpackAlone.median - 1) * 100).toFixed(0);
  return [
    `alone ${fmt(r.upload, 'MB/s')}`,
    `with the unpack, as a deploy sends it: ${fmt(together, 's', 1)}`,
    `the agent unpacking the same file from disk: ${fmt(agentUnpackAlone, 's', 1)} (the upload adds ${extra} %)`,
    `GNU tar with gzip unpacking it: ${fmt(unpackAlone, 's', 1)}`,
    `CPU of one upload with its unpack (medians): agent ${medianSeconds(c.agent)}, its tar ${medianSeconds(c.tar)}, ` +
      `the sender ${medianSeconds(c.sender)}`,
  ].join('; ');
}

/** The `coordinator` command as installed (package.json bin: the bundle through V8's code cache). */
const COMMAND = path.join(REPO, 'dist/coordinator-cli.js');
/** The same CLI unbundled, module by module: what the bundle is measured against. */
const UNBUNDLED = path.join(REPO, 'dist/coordinator/main.js');

/** Wall time of one process run to its exit. */
async function timed(argv: string[]): Promise<number> {
  const t = performance.now();
  const r = await sh(process.execPath, argv, { allowFail: true, timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}: ${r.stderr.slice(-1000)}`);
  return performance.now() - t;
}

async function deployJson(file: string, ...args: string[]): Promise<{ wall: number; result: DeployResult }> {
  const t = Date.now();
  const r = await sh(process.execPath, [COMMAND, 'deploy', file, '--json', '--quiet', ...args], {
    allowFail: true,
    timeoutMs: 600_000,
  });
  const wall = Date.now() - t;
  const result = JSON.parse(r.stdout) as DeployResult;
  if (r.code !== 0) throw new Error(`deploy failed (${r.code}): ${result.error?.message ?? r.stderr.slice(-2000)}`);
  return { wall, result };
}

async function freshSandbox(): Promise<SandboxState> {
  return sandboxUp({
    dir: DIR,
    prefix: PREFIX,
    subnet: SUBNET,
    hosts: RUNBOOK_HOSTS,
    reportIntervalMs: 10_000,
    log: () => undefined,
  });
}

async function coldDeploys(): Promise<Results['coldDeploy']> {
  const walls: number[] = [];
  const phases: Record<string, number[]> = {};
  const steps: Record<string, number[]> = {};
  for (let i = 0; i < RUNS; i++) {
    const sb = await freshSandbox();
    const { wall, result } = await deployJson(sb.ensembleFile);
    walls.push(wall);
    for (const [k, v] of Object.entries(result.timings)) (phases[k] ??= []).push(v);
    for (const h of result.hosts) for (const s of h.steps) (steps[s.step] ??= []).push(s.ms);
    log(`cold deploy ${i + 1}/${RUNS}: ${(wall / 1000).toFixed(1)} s`);
  }
  return {
    ...stat(walls),
    phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, stat(v)])),
    steps: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, stat(v)])),
  };
}

async function execInProcess(
  sb: { hosts: Array<{ name: string; agent: string }> },
  tlsDir: string,
  argv: string[],
): Promise<number> {
  const tls = await loadTls({ ca: pkiPaths(tlsDir).caCert, ...certPaths(tlsDir, 'coordinator') });
  const t = Date.now();
  const conns = sb.hosts.map((h) => new AgentConnection(h.name, h.agent, tls));
  try {
    const exits = await Promise.all(
      conns.map((c) => c.exec({ argv }, { stdout: () => undefined, stderr: () => undefined })),
    );
    if (exits.some((e) => e.code !== 0)) throw new Error('exec failed on some host');
    return Date.now() - t;
  } finally {
    conns.forEach((c) => c.close());
  }
}

/**
 * Extra agents on loopback ports (exec only) for the fan-out rows: real agents, packed PACK to a process
 * (bench/agent-pack.ts), each with its own certificate and port.
 */
const PACK = 50;
async function extraAgents(
  pki: string,
  count: number,
): Promise<{ procs: ChildProcess[]; hosts: Array<{ name: string; agent: string }> }> {
  const base = path.join(DIR, 'extra');
  await fs.mkdir(base, { recursive: true });
  const hosts: Array<{ name: string; agent: string }> = [];
  const configs: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `bench-${i}`;
    const port = 17100 + i;
    const tls = await issueCertificate(pki, { name, role: 'agent', ips: ['127.0.0.1'] });
    const dir = path.join(base, name);
    await fs.mkdir(dir, { recursive: true });
    const conf = path.join(dir, 'agent.yaml');
    await fs.writeFile(
      conf,
      `name: ${name}\nlisten: 127.0.0.1:${port}\ntls: { ca: ${pkiPaths(pki).caCert}, cert: ${tls.cert}, key: ${tls.key} }\nroot: ${dir}\nstateDir: ${dir}/state\ncapabilities: [exec]\n`,
    );
    configs.push(conf);
    hosts.push({ name, agent: `127.0.0.1:${port}` });
  }
  const procs: ChildProcess[] = [];
  for (let i = 0; i < configs.length; i += PACK) {
    const p = spawn(process.execPath, [path.join(__dirname, 'agent-pack.js'), ...configs.slice(i, i + PACK)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    procs.push(p);
    await new Promise<void>((resolve, reject) => {
      p.stdout!.on('data', (c) => /ready/.test(String(c)) && resolve());
      p.on('exit', (code) => reject(new Error(`agent pack exited ${code}`)));
    });
  }
  return { procs, hosts };
}

/** Resident memory in bytes, and its anonymous (heap) and file-backed (the executable's pages) parts. */
async function memory(pid: number): Promise<{ rss: number; anon: number; file: number }> {
  const s = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(s)![1]) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}
async function rss(pid: number): Promise<number> {
  return (await memory(pid)).rss;
}

async function nodeFloor(): Promise<Results['agentFootprint']['nodeFloor']> {
  const p = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    await sleep(3000);
    const m = await memory(p.pid!);
    return { rssMB: m.rss / 1e6, anonMB: m.anon / 1e6, fileMB: m.file / 1e6 };
  } finally {
    p.kill('SIGKILL');
  }
}
let clockTicks: Promise<number> | undefined;

/** CPU seconds of a process, and of its children that it has waited for (the agent's tar). */
async function cpuSeconds(pid: number): Promise<{ self: number; children: number }> {
  // Asked once: a getconf per reading sat between an upload's end and the agent's CPU read after it.
  clockTicks ??= sh('getconf', ['CLK_TCK']).then((r) => Number(r.stdout.trim()) || 100);
  const hz = await clockTicks;
  const f = (await fs.readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  return { self: (Number(f[11]) + Number(f[12])) / hz, children: (Number(f[13]) + Number(f[14])) / hz };
}

/**
 * The JDK tarball to one agent, a fresh store each run: the upload alone (MB/s), then as a deploy sends it
 * (unpacked by GNU tar as it arrives; the reply waits for tar) against GNU tar unpacking the same file from
 * the host's disk with nothing uploading: the upload is hidden when the two take the same time.
 */
async function uploads(sb: SandboxState): Promise<Pick<Results, 'upload' | 'uploadUnpack'>> {
  const tls = await loadTls({ ca: pkiPaths(sb.pkiDir).caCert, ...certPaths(sb.pkiDir, 'coordinator') });
  const h = sb.hosts[1];
  const a = new AgentConnection(h.name, h.agent, tls);
  const jdk = sb.artifacts.jdk;
  const size = (await fs.stat(jdk.path)).size;
  const stored = path.join(h.stateDir, 'artifacts', jdk.sha256);
  const scratch = path.join(h.root, 'var/tmp/bench-unpack');
  const alone: number[] = [];
  const together: number[] = [];
  const unpackAlone: number[] = [];
  const agentUnpackAlone: number[] = [];
  const cpu = { agent: [] as number[], tar: [] as number[], sender: [] as number[] };
  const agentPid = await agentHostPid(h);
  const unpackTimed = async (into: number[], unpack: () => Promise<unknown>) => {
    await fs.rm(scratch, { recursive: true, force: true });
    await fs.mkdir(scratch, { recursive: true });
    const t = performance.now();
    await unpack();
    into.push((performance.now() - t) / 1000);
  };
  try {
    for (let i = 0; i < RUNS; i++) {
      await fs.rm(stored, { force: true });
      let t = performance.now();
      await a.upload(jdk.path, jdk.sha256, size, 'jdk', () => undefined);
      alone.push(size / 1e6 / ((performance.now() - t) / 1000));

      await unpackTimed(unpackAlone, () => sh('tar', [...EXTRACT_FLAGS, '--gzip', '-f', stored, '-C', scratch]));
      await unpackTimed(agentUnpackAlone, () => tarOverFile(stored, [...EXTRACT_FLAGS, '-C', scratch]));

      await fs.rm(stored, { force: true });
      const [agent0, sender0] = [await cpuSeconds(agentPid), process.cpuUsage()];
      t = performance.now();
      await a.upload(jdk.path, jdk.sha256, size, 'jdk', () => undefined, { unpackInto: JDK_DEFAULTS.installDir });
      together.push((performance.now() - t) / 1000);
      const [agent1, sender] = [await cpuSeconds(agentPid), process.cpuUsage(sender0)];
      cpu.agent.push(agent1.self - agent0.self);
      cpu.tar.push(agent1.children - agent0.children);
      cpu.sender.push((sender.user + sender.system) / 1e6);
    }
  } finally {
    a.close();
    await fs.rm(scratch, { recursive: true, force: true });
  }
  return {
    upload: stat(alone),
    uploadUnpack: {
      together: stat(together),
      agentUnpackAlone: stat(agentUnpackAlone),
      unpackAlone: stat(unpackAlone),
      cpu: { agent: stat(cpu.agent), tar: stat(cpu.tar), sender: stat(cpu.sender) },
    },
  };
}

/** One load generator process (bench/ingest-load.ts): the latencies of every report it sent. */
function ingestLoad(sb: SandboxState, names: string[], seconds: number, rate: number): Promise<number[]> {
  return new Promise<number[]>((resolve, reject) => {
    const args = [sb.coordinatorAddress, sb.pkiDir, String(seconds), String(rate), ...names];
    const p = spawn(process.execPath, [path.join(__dirname, 'ingest-load.js'), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout!.on('data', (c) => {
      out += c;
    });
    p.on('exit', (code) =>
      code === 0
        ? resolve((JSON.parse(out) as { latencies: number[] }).latencies)
        : reject(new Error(`load generator exited ${code}`)),
    );
  });
}

/**
 * `coordinator serve` under reports from 64 agent certificates over the agents' report stream: first back to
 * back (the server's CPU per report, from /proc, apart from the load generator sharing the cores), then
 * paced at 2,000 reports/s (the latency a fleet would see).
 */
async function ingestion(sb: SandboxState): Promise<Results['healthIngestion']> {
  const reporters = 64;
  const seconds = process.env.BENCH_QUICK ? 5 : 10;
  const pacedRate = 2000;
  const serve = spawn(process.execPath, [COMMAND, 'serve', '--config', sb.serveConfig], { stdio: 'ignore' });
  try {
    await waitFor(() => tcpOpen(sb.gateway, 7400), 10_000, 'coordinator serve');
    const names = Array.from({ length: reporters }, (_, i) => `reporter-${i}`);
    for (const name of names) await issueCertificate(sb.pkiDir, { name, role: 'agent', ips: ['127.0.0.1'] });
    const cpu0 = await cpuSeconds(serve.pid!);
    const saturated = await ingestLoad(sb, names, seconds, 0);
    const serverCpuS = (await cpuSeconds(serve.pid!)).self - cpu0.self;
    const paced = await ingestLoad(sb, names, seconds, pacedRate);
    return {
      reportsPerSecond: Math.round(saturated.length / seconds),
      p50Ms: percentile(saturated, 50),
      p99Ms: percentile(saturated, 99),
      pacedRate: Math.round(paced.length / seconds),
      pacedP99Ms: percentile(paced, 99),
      reporters,
      seconds,
      coordinatorRssMB: (await rss(serve.pid!)) / 1e6,
      serverCpuUsPerReport: (serverCpuS / saturated.length) * 1e6,
    };
  } finally {
    serve.kill('SIGTERM');
  }
}

/** One agent restarted and left idle (health reports every 10 s); beside it, a bare Node process. */
async function agentFootprint(sb: SandboxState): Promise<Results['agentFootprint']> {
  const seconds = process.env.BENCH_QUICK ? 20 : 60;
  log(`agent footprint: one agent, restarted, idle for ${seconds} s (reporting health every 10 s)`);
  const afterDeployRss = await rss(await agentHostPid(sb.hosts[0]));
  const afterUploadsRss = await rss(await agentHostPid(sb.hosts[1]));
  await restartAgent(sb.hosts[1]);
  await sleep(2000);
  const agentPid = await agentHostPid(sb.hosts[1]);
  const t0 = await cpuSeconds(agentPid);
  await sleep(seconds * 1000);
  const t1 = await cpuSeconds(agentPid);
  const m = await memory(agentPid);
  return {
    rssMB: m.rss / 1e6,
    anonMB: m.anon / 1e6,
    fileMB: m.file / 1e6,
    cpuPercent: ((t1.self - t0.self) / seconds) * 100,
    seconds,
    afterDeployRssMB: afterDeployRss / 1e6,
    afterUploadsRssMB: afterUploadsRss / 1e6,
    nodeFloor: await nodeFloor(),
  };
}

const SCRAPES = 200;

/** The agent's CPU per /metrics scrape, its ZooKeeper server answering: SCRAPES scrapes in a row, per run. */
async function metricsScrapes(sb: SandboxState): Promise<Stat> {
  log(`agent /metrics: ${RUNS + 2} runs of ${SCRAPES} scrapes, the agent's CPU per scrape`);
  const h = sb.hosts[0];
  const pid = await agentHostPid(h);
  const scrape = async () => {
    const r = await fetch(`http://${h.address}:9100/metrics`);
    if (!r.ok || !/zookeeper_znode_count/.test(await r.text())) throw new Error('a scrape without the mntr figures');
  };
  for (let i = 0; i < 10; i++) await scrape();
  const runs: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const t0 = await cpuSeconds(pid);
    for (let n = 0; n < SCRAPES; n++) await scrape();
    const t1 = await cpuSeconds(pid);
    runs.push(((t1.self - t0.self) / SCRAPES) * 1000);
  }
  return stat(runs);
}

function machine(): Results['machine'] {
  const cpu = os.cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? '?',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    date: new Date().toISOString(),
  };
}

/** `coordinator deploy` again on the deployed ensemble: nothing may change. */
async function noopDeploys(file: string): Promise<Results['noopDeploy']> {
  log('no-op deploys');
  const wall: number[] = [];
  const inside: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const r = await deployJson(file);
    if (r.result.changed) throw new Error('the no-op deploy changed something');
    wall.push(r.wall);
    inside.push(r.result.durationMs);
  }
  return { ...stat(inside), cli: stat(wall) };
}

/** tickTime changed back and forth: every run restarts the three servers one at a time. */
async function rollingRestarts(sb: SandboxState): Promise<Stat> {
  log('rolling restarts (tickTime change)');
  const rolls: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const yaml = ensembleYaml(sb).replace('tickTime: 2000', `tickTime: ${i % 2 ? 2000 : 2200}`);
    await fs.writeFile(sb.ensembleFile, yaml);
    const { wall, result } = await deployJson(sb.ensembleFile);
    if (result.hosts.filter((h) => h.restarted).length !== 3) throw new Error('expected 3 restarts');
    rolls.push(wall);
  }
  return stat(rolls);
}

/** `node -e 0`, then exec on the 3 sandbox agents: in this process, and as whole commands. */
async function execThree(sb: SandboxState): Promise<Pick<Results, 'nodeStart' | 'execFanout3'>> {
  log('node start, exec fan-out, 3 agents');
  const nodeStart: number[] = [];
  for (let i = 0; i < RUNS * 3; i++) nodeStart.push(await timed(['-e', '0']));
  const inProcess: number[] = [];
  const cli: number[] = [];
  const unbundled: number[] = [];
  for (let i = 0; i < RUNS * 3; i++) inProcess.push(await execInProcess(sb, sb.pkiDir, ['true']));
  const argv = ['exec', sb.ensembleFile, '--', 'true'];
  await timed([COMMAND, ...argv]); // the first run writes V8's code cache
  for (let i = 0; i < RUNS * 3; i++) {
    cli.push(await timed([COMMAND, ...argv]));
    unbundled.push(await timed([UNBUNDLED, ...argv]));
  }
  return {
    nodeStart: stat(nodeStart),
    execFanout3: { ...stat(inProcess), cli: stat(cli), unbundled: stat(unbundled) },
  };
}

async function execFleet(sb: SandboxState): Promise<Pick<Results, 'execFanout50' | 'execFanout200'>> {
  log('exec fan-out, 50 and 200 agents (extra agents on loopback, 50 to a process)');
  const extra = await extraAgents(sb.pkiDir, 197);
  try {
    const all = [...sb.hosts, ...extra.hosts];
    const ex50: number[] = [];
    const ex200: number[] = [];
    for (let i = 0; i < RUNS * 3; i++) ex50.push(await execInProcess({ hosts: all.slice(0, 50) }, sb.pkiDir, ['true']));
    for (let i = 0; i < RUNS * 3; i++) ex200.push(await execInProcess({ hosts: all }, sb.pkiDir, ['true']));
    const packRss = (await Promise.all(extra.procs.map((p) => rss(p.pid!)))).reduce((a, b) => a + b, 0);
    return { execFanout50: stat(ex50), execFanout200: { ...stat(ex200), packRssMB: packRss / 1e6 } };
  } finally {
    extra.procs.forEach((p) => p.kill('SIGKILL'));
  }
}

/** Every figure, each phase on the sandbox the cold deploys left behind. */
async function measure(): Promise<Results> {
  const m = machine();
  log(`cold deploys (${RUNS}, each on fresh sandbox hosts)`);
  const coldDeploy = await coldDeploys();
  const sb = (await readSandbox(DIR))!;
  const noopDeploy = await noopDeploys(sb.ensembleFile);
  const rollingRestart = await rollingRestarts(sb);
  const three = await execThree(sb);
  const fleet = await execFleet(sb);
  log('artifact upload (JDK tarball, one agent, fresh store each run): alone, with its unpack, unpack alone');
  const upload = await uploads(sb);
  log('health ingestion');
  const healthIngestion = await ingestion(sb);
  const agent = await agentFootprint(sb);
  const metricsScrape = await metricsScrapes(sb);
  return {
    metricsScrape,
    machine: m,
    coldDeploy,
    noopDeploy,
    rollingRestart,
    ...three,
    ...fleet,
    ...upload,
    healthIngestion,
    agentFootprint: agent,
  };
}

const seconds = (x: Stat): Stat => ({ ...x, median: x.median / 1000, min: x.min / 1000, max: x.max / 1000 });

/** The README's table, from one run's results. */
function table(r: Results): string[] {
  const row = (what: string, value: string, target: string) => `| ${what} | ${value} | ${target} |`;
  const ratio = (x: Stat) => `${(x.median / r.nodeStart.median).toFixed(1)}×`;
  const phase = (k: string) =>
    r.coldDeploy.phases[k] ? `${k} ${(r.coldDeploy.phases[k].median / 1000).toFixed(1)} s` : '';
  const phases = ['connect', 'versions', 'dns', 'resolve', 'install', 'start', 'quorum', 'verify']
    .map(phase)
    .filter(Boolean);
  const { cli, unbundled } = r.execFanout3;
  const m = r.machine;
  return [
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}; ${m.date.slice(0, 10)}`,
    '',
    '| measure | result (median, min–max, runs) | target |',
    '|---|---|---|',
    row(
      'cold deploy, 3 ZooKeeper + DNS, to verified quorum',
      fmt(seconds(r.coldDeploy), 's', 1),
      '≤ 70 % of 16.0 s (the figure before) = 11.2 s',
    ),
    row('  where the time goes (wall, median)', phases.join(', '), ''),
    row('Node start (`node -e 0`), the unit below', fmt(r.nodeStart, 'ms'), '—'),
    row(
      'whole CLI, the `coordinator` command: `coordinator exec FILE -- true`, 3 agents',
      `${fmt(cli, 'ms')} = ${ratio(cli)} node start ` +
        `(unbundled \`node dist/coordinator/main.js\`: ${fmt(unbundled, 'ms')} = ${ratio(unbundled)})`,
      '≤ 3× node start',
    ),
    row(
      'whole CLI: no-op `coordinator deploy` (inside the CLI / whole command)',
      `${fmt(r.noopDeploy, 'ms')} / ${fmt(r.noopDeploy.cli, 'ms')} = ${ratio(r.noopDeploy.cli)} node start`,
      '≤ 5× node start',
    ),
    row('rolling restart of 3 servers (tickTime change)', fmt(seconds(r.rollingRestart), 's', 1), '—'),
    row('exec fan-out `true`, 3 agents (in one process, new mTLS connections)', fmt(r.execFanout3, 'ms'), '≤ 150 ms'),
    row('exec fan-out `true`, 50 agents', fmt(r.execFanout50, 'ms'), '≤ 0.3 s'),
    row(
      'exec fan-out `true`, 200 agents',
      `${fmt(r.execFanout200, 'ms')} (${(r.execFanout200.median / r.execFanout50.median).toFixed(1)}× the ` +
        `50-agent figure; the 197 extra agents use ${r.execFanout200.packRssMB.toFixed(0)} MB in 4 processes)`,
      '≤ 1.2 s',
    ),
    row(
      'health ingestion, one `coordinator serve`',
      ingestionCell(r.healthIngestion),
      '≤ 100 µs/report (≥ 10,000/s per core), p99 < 100 ms at 2,000/s',
    ),
    row('agent idle footprint', footprintCell(r.agentFootprint), '≤ 50 MB idle, ≤ 65 MB after a JDK upload'),
    row('coordinator server RSS (after ingestion)', `${r.healthIngestion.coordinatorRssMB.toFixed(0)} MB`, '—'),
    row('artifact upload, JDK tarball over mTLS', uploadCell(r), '≥ 300 MB/s, or hidden behind the unpack'),
    ...(r.metricsScrape ? [scrapeRow(r.metricsScrape)] : []),
  ];
}

function scrapeRow(x: Stat): string {
  return `| agent /metrics, CPU per scrape (its server's mntr included) | ${fmt(x, 'ms', 2)} | ≤ 2 ms |`;
}

/** BENCH_ONLY=metrics: the scrape row alone, on a fresh sandbox with a deployed ensemble. */
async function scrapeOnly(): Promise<void> {
  try {
    const sb = await freshSandbox();
    await deployJson(sb.ensembleFile);
    process.stdout.write(`${scrapeRow(await metricsScrapes(sb))}\n`);
  } finally {
    await sandboxDown({ dir: DIR, prefix: PREFIX });
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'metrics') return scrapeOnly();
  const started = Date.now();
  let r: Results;
  try {
    r = await measure();
  } finally {
    await sandboxDown({ dir: DIR, prefix: PREFIX });
  }
  const out = path.join(REPO, 'bench', 'results', `bench-${new Date().toISOString().slice(0, 10)}.json`);
  await fs.mkdir(path.dirname(out), { recursive: true });
  await fs.writeFile(out, JSON.stringify(r, null, 2) + '\n');
  const total = `total bench time ${((Date.now() - started) / 1000).toFixed(0)} s`;
  process.stdout.write([...table(r), '', `JSON: ${path.relative(REPO, out)}; ${total}`, ''].join('\n'));
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
  sandboxDown({ dir: DIR, prefix: PREFIX }).finally(() => process.exit(1));
});
