import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { asZkfError, ZkfError } from '../../shared/errors';
import { sha256 } from '../../shared/hash';
import { unitForSystemd } from '../../shared/systemd-units';
import { certPaths, pkiPaths, signRequest } from '../../shared/pki/pki';
import { loadTls, type TlsMaterial } from '../../shared/pki/tls';
import { AgentConnection } from '../fleet/agent-client';
import type { Ensemble, HostSpec } from '../ensemble/file';
import { HostRun, type HostReportBase } from '../fleet/host-run';
import type { Progress } from '../output/progress';
import { renderAgentConfig } from './agent-config';
import { hostRefusals, planHost, type Action, type Desired, type HostPlan, type ReleaseInfo } from './plan';
import { AGENT_HOME, FILES, parseProbe, probeScript, TMPFILES_FILE, UNIT_FILE } from './probe';
import { readRelease } from './release';
import { activate, pruneReleases, putFile, systemctl, uploadRelease, withJournal } from './remote';
import { SshTarget, type SshOptions } from './ssh';

export interface BootstrapOptions {
  hosts: string[];
  ssh: SshOptions;
  release: string;
  dryRun: boolean;
  progress: Progress;
  signal: AbortSignal;
  answerTimeoutMs?: number;
}

export interface BootstrapHostReport extends HostReportBase {
  version?: string;
  from?: string;
  actions: Action[];
}

export interface BootstrapResult {
  ensemble: string;
  ok: boolean;
  dryRun: boolean;
  changed: boolean;
  exitCode: 0 | 1 | 2;
  release?: { version: string; sha256: string };
  hosts: BootstrapHostReport[];
  error?: { code: string; message: string };
}

/** One bootstrap: per host its ssh target, what it should hold, and the plan its probe gave. */
class BootstrapRun extends HostRun<BootstrapHostReport> {
  readonly ssh = new Map<string, SshTarget>();
  readonly desired = new Map<string, Desired>();
  readonly plans = new Map<string, HostPlan>();
  constructor(
    readonly e: Ensemble,
    readonly o: BootstrapOptions,
    readonly release: ReleaseInfo,
    readonly tls: TlsMaterial,
    readonly hosts: HostSpec[],
  ) {
    super(
      new Map(hosts.map((h) => [h.name, { name: h.name, changed: false, steps: [], actions: [] }])),
      o.progress,
      o.signal,
    );
    for (const h of hosts) this.ssh.set(h.name, new SshTarget(h.address, h.name, o.ssh));
  }
}

/**
 * `coordinator bootstrap`: the agent onto the hosts over ssh. Every host is probed first and a host that
 * cannot run the agent is refused before anything on it changes; new hosts are set up together; hosts
 * that run an older agent are upgraded one at a time, each rolled back if its new agent does not answer.
 */
export async function bootstrap(e: Ensemble, o: BootstrapOptions): Promise<BootstrapResult> {
  const release = await readRelease(o.release);
  const tls = await loadTls({ ca: pkiPaths(e.pkiDir).caCert, ...certPaths(e.pkiDir, 'coordinator') });
  const hosts = e.spec.hosts.filter((h) => !o.hosts.length || o.hosts.includes(h.name));
  const run = new BootstrapRun(e, o, release, tls, hosts);
  const result: BootstrapResult = {
    ensemble: e.spec.name,
    ok: false,
    dryRun: o.dryRun,
    changed: false,
    exitCode: 1,
    release: { version: release.version, sha256: release.sha256 },
    hosts: [...run.reports.values()],
  };
  try {
    await run.phase('probe', () => Promise.all(hosts.map((h) => probeHost(run, h))));
    if (!o.dryRun) await applyAll(run);
    const failed = result.hosts.some((h) => h.error);
    Object.assign(result, { ok: !failed, exitCode: failed ? 2 : 0 });
  } catch (err) {
    const ze = asZkfError(err);
    result.error = { code: ze.code, message: ze.message };
  } finally {
    for (const s of run.ssh.values()) s.close();
  }
  result.changed = result.hosts.some((h) => h.changed);
  return result;
}

function desiredFor(run: BootstrapRun, h: HostSpec): Desired {
  const caPem = readFileSync(pkiPaths(run.e.pkiDir).caCert, 'utf8');
  const config = renderAgentConfig(run.e, h);
  const port = Number(h.agent.slice(h.agent.lastIndexOf(':') + 1));
  const r = run.release;
  return {
    name: h.name,
    address: h.address,
    port,
    release: r,
    configSha: sha256(config),
    caSha: sha256(caPem),
    unitText: r.unitText,
    unitSha: sha256(r.unitText + r.tmpfilesText),
    caPem,
  };
}

async function probeHost(run: BootstrapRun, h: HostSpec): Promise<void> {
  const d = desiredFor(run, h);
  run.desired.set(h.name, d);
  await run.hostStep(h, 'probe', async () => {
    const p = parseProbe(await run.ssh.get(h.name)!.must('probe', probeScript(d.port), { signal: run.signal }));
    // The unit holds only what the host's systemd knows (219 and up).
    if (p.systemdVersion) {
      d.unitText = unitForSystemd(d.release.unitText, p.systemdVersion);
      d.unitSha = sha256(d.unitText + d.release.tmpfilesText);
    }
    const refused = hostRefusals(p, d);
    if (refused.length)
      throw new ZkfError('HOST_UNSUITABLE', `cannot run the agent: ${refused.join('; ')}. Nothing was changed.`);
    const plan = planHost(p, d);
    run.plans.set(h.name, plan);
    Object.assign(run.report(h), {
      actions: plan.actions,
      from: p.current || undefined,
      version: p.current || undefined,
    });
    const summary = plan.actions.length
      ? `${plan.actions.join(', ')} (${plan.reasons.join('; ')})`
      : 'nothing to change';
    const host = `${p.arch}, glibc ${p.glibc}, systemd ${p.systemdVersion || '?'}, Linux ${p.kernel || '?'}`;
    return { changed: false, description: `${host}; ${run.o.dryRun ? 'would do' : 'to do'}: ${summary}` };
  });
}

async function applyAll(run: BootstrapRun): Promise<void> {
  const ready = run.hosts.filter((h) => !run.failed(h));
  const upgrades = ready.filter((h) => run.plans.get(h.name)!.upgradeFrom);
  await run.phase('install', () =>
    Promise.all(ready.filter((h) => !upgrades.includes(h)).map((h) => applyHost(run, h))),
  );
  // One host at a time, and a failed upgrade (rolled back) leaves the hosts after it alone.
  for (const [i, h] of upgrades.entries()) {
    if (await applyHost(run, h)) continue;
    for (const rest of upgrades.slice(i + 1)) {
      const why = `left alone: the upgrade of ${h.name} failed and was rolled back`;
      run.fail(rest, 'upgrade', new ZkfError('NOT_ATTEMPTED', why));
    }
    break;
  }
}

/** The plan's actions in order, then the agent must answer with its name and the release's version. */
async function applyHost(run: BootstrapRun, h: HostSpec): Promise<boolean> {
  const plan = run.plans.get(h.name)!;
  const ssh = run.ssh.get(h.name)!;
  const { release, signal } = run;
  const v = release.version;
  for (const action of plan.actions) {
    const ok = await run.hostStep(h, action, () => applyAction(run, h, ssh, action));
    if (!ok) return plan.upgradeFrom ? rollback(run, h, ssh, plan.upgradeFrom) : false;
  }
  const answered = await run.hostStep(h, 'answer', () => waitForAgent(run, h, ssh, v));
  if (!answered) return plan.upgradeFrom ? rollback(run, h, ssh, plan.upgradeFrom) : false;
  if (plan.actions.includes('upload-release'))
    await pruneReleases(ssh, [v, plan.upgradeFrom ?? ''], signal).catch(() => undefined);
  run.report(h).version = v;
  return true;
}

async function applyAction(run: BootstrapRun, h: HostSpec, ssh: SshTarget, action: Action) {
  const { release: r, signal } = run;
  const d = run.desired.get(h.name)!;
  const done = (description: string) => ({ changed: true, description });
  switch (action) {
    case 'upload-release':
      await uploadRelease(ssh, r, signal);
      return done(`release ${r.version} unpacked under ${AGENT_HOME}/releases/${r.version} (sha256 checked)`);
    case 'ca':
      await putFile(ssh, FILES.ca, d.caPem, 0o644, signal);
      return done(`${FILES.ca} written`);
    case 'key':
    case 'certificate':
      return certificate(run, h, ssh, action);
    case 'config':
      await putFile(ssh, FILES.config, renderAgentConfig(run.e, h), 0o600, signal);
      return done(`${FILES.config} written`);
    case 'unit':
      await putFile(ssh, UNIT_FILE, d.unitText, 0o644, signal);
      await putFile(ssh, TMPFILES_FILE, r.tmpfilesText, 0o644, signal);
      await ssh.must('systemd-tmpfiles', `systemd-tmpfiles --create ${TMPFILES_FILE}`, { signal });
      await systemctl(ssh, 'daemon-reload', signal);
      return done(`${UNIT_FILE} and ${TMPFILES_FILE} written`);
    case 'activate':
      await activate(ssh, r.version, signal);
      return done(`${AGENT_HOME}/current -> releases/${r.version}`);
    case 'enable':
      await systemctl(ssh, 'enable --quiet zkfleet-agent', signal);
      return done('enabled at boot');
    case 'restart':
    case 'start':
      await systemctl(ssh, 'restart zkfleet-agent', signal).catch(async (err: ZkfError) => {
        throw new ZkfError(err.code, await withJournal(ssh, err.message.split(': See ')[0]), { host: h.name });
      });
      return done(action === 'start' ? 'started' : 'restarted');
  }
}

/**
 * The key is made on the host (once) and never leaves it: only the request travels; the CA signs it with
 * the host's name and address from the ensemble file.
 */
async function certificate(run: BootstrapRun, h: HostSpec, ssh: SshTarget, action: 'key' | 'certificate') {
  const binary = `${AGENT_HOME}/releases/${run.release.version}/bin/zkfleet-agent`;
  const csr = await ssh.must('keygen', `${binary} keygen --name ${h.name} --key ${FILES.key}`, { signal: run.signal });
  if (action === 'key') return { changed: true, description: `${FILES.key} made on the host (0600)` };
  const cert = await signRequest(run.e.pkiDir, csr, { name: h.name, role: 'agent', ips: [h.address], dns: [h.name] });
  await putFile(ssh, FILES.cert, cert, 0o644, run.signal);
  return {
    changed: true,
    description: `${FILES.cert} signed for ${h.name} (${h.address}) from a request made on the host`,
  };
}

/** The agent answers over mTLS, with the expected name and the release's version. */
async function waitForAgent(run: BootstrapRun, h: HostSpec, ssh: SshTarget, want: string) {
  const deadline = Date.now() + (run.o.answerTimeoutMs ?? 30_000);
  let last = '';
  while (Date.now() < deadline) {
    const a = new AgentConnection(h.name, h.agent, run.tls);
    try {
      await a.waitReady(3000, run.signal);
      const f = await a.facts({}, { signal: run.signal, timeoutMs: 5000 });
      if (f.agentVersion === want)
        return { changed: false, description: `answers over mTLS as ${f.name}, agent ${want}` };
      last = `it answers as agent ${f.agentVersion}, not ${want}`;
    } catch (err) {
      last = asZkfError(err).message;
    } finally {
      a.close();
    }
    await sleep(500, undefined, { signal: run.signal });
  }
  throw new ZkfError('UNAVAILABLE', await withJournal(ssh, `the agent does not answer: ${last}`));
}

/** Back to the version that ran before: link flipped back, restarted, answering again. */
async function rollback(run: BootstrapRun, h: HostSpec, ssh: SshTarget, previous: string): Promise<false> {
  await run.hostStep(h, 'rollback', async () => {
    await activate(ssh, previous, run.signal);
    await systemctl(ssh, 'restart zkfleet-agent', run.signal);
    const answer = await waitForAgent(run, h, ssh, previous);
    return { changed: true, description: `back on ${previous}: ${answer.description}` };
  });
  run.report(h).version = previous;
  return false;
}
