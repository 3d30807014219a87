import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { asZkfError, ZkfError } from '../shared/errors';
import type { StepResult__Output } from '../shared/proto-types/zkfleet/v1/StepResult';
import type { ZooKeeperStatus__Output } from '../shared/proto-types/zkfleet/v1/ZooKeeperStatus';
import { zkHosts, type Ensemble, type HostSpec } from './ensemble';
import { Fleet } from './fleet';
import { deployImage, type ImageReport } from './image';
import type { Progress } from './progress';
import { assignMyids, readState, writeState } from './state';
import { judgeQuorum, registryAddress, serverName, SERVING, type QuorumVerdict } from './topology';
import { uploadArtifact } from './upload';
import { verifyEnsemble } from './zk-client';

export interface DeployOptions {
  dryRun: boolean;
  only?: 'image' | 'zookeeper';
  progress: Progress;
  signal: AbortSignal;
  skipVerify?: boolean;
}

export interface StepReport {
  step: string;
  changed: boolean;
  description: string;
  ms: number;
  error?: string;
}
export interface HostReport {
  name: string;
  roles: string[];
  myid?: number;
  dnsName?: string;
  mode?: string;
  zxid?: string;
  changed: boolean;
  restarted: boolean;
  steps: StepReport[];
  error?: string;
  errorCode?: string;
}
export interface DeployResult {
  ensemble: string;
  ok: boolean;
  dryRun: boolean;
  changed: boolean;
  exitCode: 0 | 1 | 2;
  durationMs: number;
  hosts: HostReport[];
  registry?: string;
  leader?: string;
  verify?: { path: string; checked: string[] };
  image?: ImageReport;
  warnings: string[];
  error?: { code: string; message: string };
  timings: Record<string, number>;
}

class HostFailed extends Error {}

/**
 * `coordinator deploy`: the runbook end to end. Phases: facts → myids → DNS → artifacts, JDK, ZooKeeper,
 * zoo.cfg/myid (hosts in parallel) → start / rolling restart → quorum → client check. Each host step is
 * idempotent and says whether it changed anything; a host that fails is reported and the rest go on.
 */
export async function deploy(e: Ensemble, opts: DeployOptions): Promise<DeployResult> {
  const started = Date.now();
  const timings: Record<string, number> = {};
  const fleet = await Fleet.open(e);
  const reports = new Map<string, HostReport>(
    e.spec.hosts.map((h) => [
      h.name,
      { name: h.name, roles: [...h.roles], changed: false, restarted: false, steps: [] },
    ]),
  );
  const result: DeployResult = {
    ensemble: e.spec.name,
    ok: false,
    dryRun: opts.dryRun,
    changed: false,
    exitCode: 1,
    durationMs: 0,
    hosts: [...reports.values()],
    warnings: [...e.warnings],
    timings,
  };
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await fn();
    } finally {
      timings[name] = (timings[name] ?? 0) + Date.now() - t;
    }
  };
  const step = async <T extends { changed: boolean; description: string }>(
    host: HostSpec,
    name: string,
    fn: () => Promise<T>,
  ): Promise<T> => {
    const r = reports.get(host.name)!;
    if (opts.signal.aborted) throw new ZkfError('CANCELLED', 'cancelled');
    const t = Date.now();
    opts.progress.start(host.name, name);
    try {
      const out = await fn();
      const ms = Date.now() - t;
      r.steps.push({ step: name, changed: out.changed, description: out.description, ms });
      r.changed ||= out.changed;
      opts.progress.done(host.name, name, { ...out, ms });
      return out;
    } catch (err) {
      const ze = asZkfError(err);
      const ms = Date.now() - t;
      r.steps.push({ step: name, changed: false, description: '', ms, error: ze.message });
      r.error ??= `${name}: ${ze.message}`;
      r.errorCode ??= ze.code;
      opts.progress.fail(host.name, name, ze.message, ms);
      throw new HostFailed(ze.message, { cause: ze });
    }
  };
  const failed = (h: HostSpec) => !!reports.get(h.name)!.error;
  let imageRun: Promise<ImageReport | undefined> | undefined;

  try {
    for (const w of e.warnings) opts.progress.note(`warning: ${w}`);
    const zk = opts.only === 'image' ? [] : zkHosts(e);
    const touched = e.spec.hosts.filter(
      (h) =>
        (opts.only !== 'image' && (h.roles.includes('zookeeper') || h.roles.includes('dns'))) ||
        (opts.only !== 'zookeeper' && h.roles.includes('image')),
    );

    // 1. Reach every agent and gather facts; an unreachable host stops the deploy before anything changes.
    const facts = await phase('connect', () =>
      Promise.all(
        touched.map(async (h) => {
          const a = fleet.agent(h);
          try {
            return await step(h, 'facts', async () => {
              await a.waitReady(e.spec.timeouts.connectMs);
              const f = await a.facts(
                {
                  dataDir: e.spec.zookeeper.dataDir,
                  dataLogDir: e.spec.zookeeper.dataLogDir,
                  zookeeperInstallDir: e.spec.zookeeper.installDir,
                  jdkInstallDir: e.spec.jdk.installDir,
                },
                { signal: opts.signal },
              );
              if (f.name !== h.name)
                throw new ZkfError('PERMISSION_DENIED', `the agent at ${h.agent} is "${f.name}", not "${h.name}"`);
              const minFree = e.spec.zookeeper.minFreeMB * 1e6;
              const full = h.roles.includes('zookeeper')
                ? f.disks.find((d) => d.totalBytes && d.freeBytes < minFree)
                : undefined;
              if (full)
                throw new ZkfError(
                  'DISK_FULL',
                  `disk full under ${full.path} (${full.mount}): ${(full.freeBytes / 1e6).toFixed(0)} MB free, a deploy needs ${e.spec.zookeeper.minFreeMB} MB (zookeeper.minFreeMB); ZooKeeper stops serving when it cannot write its transaction log. Free space first`,
                );
              const missing = h.roles.filter((r) => !f.capabilities.includes(r));
              if (missing.length)
                throw new ZkfError(
                  'CAPABILITY_DISABLED',
                  `role ${missing.join(', ')} needs capability ${missing.join(', ')} in the agent's config`,
                );
              return {
                changed: false,
                description: `${f.os}, ${f.cpus} CPU, JDK ${f.jdkVersion || '-'}, ZooKeeper ${f.zookeeperVersion || '-'} (${f.zookeeperMode})`,
                facts: f,
              };
            });
          } catch (err) {
            if (err instanceof HostFailed) return undefined;
            throw err;
          }
        }),
      ),
    );
    const unreachable = touched.filter((_h, i) => !facts[i]);
    if (unreachable.length) {
      throw new ZkfError(
        unreachable.every((h) => reports.get(h.name)!.errorCode === 'DISK_FULL') ? 'DISK_FULL' : 'UNAVAILABLE',
        `cannot deploy: ${unreachable.map((h) => `${h.name} (${reports.get(h.name)!.error})`).join('; ')}. Nothing was changed.`,
      );
    }
    const factsOf = new Map(touched.map((h, i) => [h.name, facts[i]!.facts]));

    // The image builds alongside the ensemble: neither waits on the other.
    imageRun =
      opts.only !== 'zookeeper' && e.spec.image
        ? phase('image', () =>
            deployImage(e, fleet, { dryRun: opts.dryRun, progress: opts.progress, signal: opts.signal, step }),
          ).catch((err) => {
            if (err instanceof HostFailed) return undefined;
            throw err;
          })
        : undefined;

    let myids: Record<string, number> = {};
    if (zk.length) {
      // 2. Stable myids: pins, then state, then what the host holds, then the next never-used id.
      const state = await readState(e.stateDir);
      const assigned = assignMyids(state, {
        hosts: zk.map((h) => h.name),
        pins: e.spec.zookeeper.myids,
        existing: Object.fromEntries(
          zk.map((h) => [h.name, { myid: factsOf.get(h.name)!.myid, hasData: factsOf.get(h.name)!.dataDirHasData }]),
        ),
      });
      if (assigned.problems.length)
        throw new ZkfError(
          'MYID_CONFLICT',
          `myid assignment refused; nothing was changed:\n  ${assigned.problems.join('\n  ')}`,
        );
      myids = assigned.myids;
      if (!opts.dryRun) await writeState(e.stateDir, assigned.state);
      for (const h of zk) {
        const r = reports.get(h.name)!;
        r.myid = myids[h.name];
        r.dnsName = serverName(e, h, myids[h.name]);
      }
      result.registry = registryAddress(e, myids);

      // 3. DNS first: a server name that does not resolve is the classic ensemble that never forms.
      if (e.spec.dns) {
        const dns = e.spec.dns;
        const dnsHost = e.spec.hosts.find((h) => h.name === dns.host)!;
        await phase('dns', () =>
          step(dnsHost, 'dns', () =>
            fleet.agent(dnsHost).upsertDnsRecords(
              {
                zone: dns.zone,
                zoneFile: dns.zoneFile,
                dryRun: opts.dryRun,
                records: zk.map((h) => ({
                  name: serverName(e, h, myids[h.name]).slice(0, -(dns.zone.replace(/\.$/, '').length + 1)),
                  address: h.address,
                })),
              },
              { signal: opts.signal },
            ),
          ),
        ).catch((err) => {
          throw err instanceof HostFailed
            ? new ZkfError(
                'COMMAND_FAILED',
                `DNS update on ${dnsHost.name} failed, so no server was touched: ${err.message}`,
              )
            : err;
        });
        if (!opts.dryRun) {
          await phase('resolve', () =>
            Promise.all(
              zk.map((h) =>
                step(h, 'resolve', async () => {
                  const want = zk.map((s) => ({ name: serverName(e, s, myids[s.name]), address: s.address }));
                  const got = await fleet.agent(h).resolve(
                    want.map((w) => w.name),
                    { signal: opts.signal },
                  );
                  const bad = want
                    .filter((w, i) => !got[i].addresses.includes(w.address))
                    .map((w) => {
                      const g = got.find((x) => x.name === w.name)!;
                      return `${w.name} → ${g.addresses.join(',') || g.error || 'nothing'} (expected ${w.address})`;
                    });
                  if (bad.length)
                    throw new ZkfError(
                      'DNS_TIMEOUT',
                      `does not resolve the server names as the ensemble needs: ${bad.join('; ')}. Check /etc/resolv.conf on the host points at ${dns.host}.`,
                    );
                  return { changed: false, description: `resolves ${want.length} server names` };
                }).catch(() => undefined),
              ),
            ),
          );
        }
      }

      // 4. Artifacts, JDK, ZooKeeper, zoo.cfg/myid: hosts in parallel, each host's steps in order.
      const configured = new Map<string, StepResult__Output>();
      await phase('install', () =>
        Promise.all(
          zk
            .filter((h) => !failed(h))
            .map(async (h) => {
              const a = fleet.agent(h);
              try {
                const pending = { jdk: false, zookeeper: false };
                for (const kind of ['jdk', 'zookeeper'] as const) {
                  pending[kind] = (
                    await phase('upload', () => step(h, `upload-${kind}`, () => uploadArtifact(e, a, kind, opts)))
                  ).pending;
                }
                const planned = (what: string) => async (): Promise<{ changed: boolean; description: string }> => ({
                  changed: true,
                  description: `would unpack ${what} after the upload`,
                });
                await phase('unpack', async () => {
                  await step(
                    h,
                    'install-jdk',
                    pending.jdk
                      ? planned('the JDK')
                      : () =>
                          a.installJdk(
                            {
                              sha256: e.spec.artifacts.jdk.sha256.toLowerCase(),
                              installDir: e.spec.jdk.installDir,
                              linkName: 'jdk',
                              dryRun: opts.dryRun,
                            },
                            { signal: opts.signal },
                          ),
                  );
                  await step(
                    h,
                    'install-zookeeper',
                    pending.zookeeper
                      ? planned('ZooKeeper')
                      : () =>
                          a.installZooKeeper(
                            {
                              sha256: e.spec.artifacts.zookeeper.sha256.toLowerCase(),
                              installDir: e.spec.zookeeper.installDir,
                              linkName: 'zookeeper',
                              dryRun: opts.dryRun,
                            },
                            { signal: opts.signal },
                          ),
                  );
                });
                const fresh = !factsOf.get(h.name)!.zookeeperVersion && opts.dryRun;
                await phase('configure', async () => {
                  const r = await step<{ changed: boolean; description: string; restartNeeded?: boolean }>(
                    h,
                    'configure',
                    fresh
                      ? async () => ({ changed: true, description: 'would write zoo.cfg, java.env and myid' })
                      : () =>
                          a.configureZooKeeper(configureRequest(e, h, zk, myids, opts.dryRun), { signal: opts.signal }),
                  );
                  configured.set(h.name, r as StepResult__Output);
                });
              } catch (err) {
                if (!(err instanceof HostFailed)) throw err;
              }
            }),
        ),
      );

      // 5. Start what is not running; roll what runs with a changed config; then wait for the quorum.
      await phase('start', () =>
        startAndRoll(
          e,
          fleet,
          zk.filter((h) => !failed(h)),
          configured,
          opts,
          step,
          reports,
        ),
      );
      if (!opts.dryRun) {
        const expected = new Set(zk.filter((h) => !failed(h)).map((h) => h.name));
        if (expected.size) {
          const verdict = await phase('quorum', () =>
            waitForQuorum(e, fleet, expected, e.spec.timeouts.quorumMs, opts),
          );
          result.leader = verdict.leader;
          opts.progress.note(`quorum: leader ${verdict.leader}, ${verdict.serving}/${verdict.voters} voters serving`);
        }
        // 6. The client check: write through the ensemble, read back from every server on its own.
        if (
          !opts.skipVerify &&
          expected.size &&
          ![...reports.values()].some((r) => r.error && zk.some((h) => h.name === r.name))
        ) {
          const servers = zk.map((h) => ({ name: h.name, connect: `${h.address}:${e.spec.zookeeper.clientPort}` }));
          const t = Date.now();
          opts.progress.start('ensemble', 'verify');
          result.verify = await phase('verify', () => verifyEnsemble(servers));
          opts.progress.done('ensemble', 'verify', {
            changed: false,
            description: `znode written through the ensemble, read back from ${result.verify.checked.length} servers`,
            ms: Date.now() - t,
          });
        }
        const statuses = await statusAll(fleet, zk);
        for (const h of zk) {
          const s = statuses.get(h.name);
          if (s && !(s instanceof Error)) Object.assign(reports.get(h.name)!, { mode: s.mode, zxid: s.zxid });
        }
      }
    }
    if (imageRun) result.image = await imageRun;
    const anyFailed = [...reports.values()].some((r) => r.error);
    result.changed = [...reports.values()].some((r) => r.changed);
    result.ok = !anyFailed;
    result.exitCode = anyFailed ? 2 : 0;
    if (!opts.dryRun) {
      const state = await readState(e.stateDir);
      await writeState(e.stateDir, {
        ...state,
        lastDeploy: { at: new Date().toISOString(), ok: result.ok, changed: result.changed },
      });
    }
  } catch (err) {
    const ze = asZkfError(err instanceof HostFailed ? err.cause : err);
    result.error = { code: ze.code, message: ze.message };
    result.exitCode = 1;
    if (imageRun) result.image = await imageRun.catch(() => undefined);
    result.changed = [...reports.values()].some((r) => r.changed);
  } finally {
    fleet.close();
    result.durationMs = Date.now() - started;
  }
  return result;
}

export function configureRequest(
  e: Ensemble,
  h: HostSpec,
  zk: HostSpec[],
  myids: Record<string, number>,
  dryRun: boolean,
) {
  const z = e.spec.zookeeper;
  return {
    installDir: z.installDir,
    dataDir: z.dataDir,
    dataLogDir: z.dataLogDir,
    clientPort: z.clientPort,
    clientPortAddress: z.bindClientAddress ? h.address : '',
    tickTime: z.tickTime,
    initLimit: z.initLimit,
    syncLimit: z.syncLimit,
    servers: zk.map((s) => ({
      id: myids[s.name],
      host: serverName(e, s, myids[s.name]),
      quorumPort: z.quorumPort,
      electionPort: z.electionPort,
      observer: s.observer,
    })),
    myid: myids[h.name],
    fourLetterWords: z.fourLetterWords,
    autopurgeSnapRetainCount: z.autopurge.snapRetainCount,
    autopurgePurgeInterval: z.autopurge.purgeInterval,
    adminServerAddress: z.adminServer.enabled ? (z.bindClientAddress ? h.address : '0.0.0.0') : '',
    adminServerPort: z.adminServer.port,
    extra: z.extra,
    jvmFlags: z.jvmFlags,
    javaHome: path.posix.join(e.spec.jdk.installDir, 'jdk'),
    dryRun,
  };
}

export async function statusAll(
  fleet: Fleet,
  hosts: HostSpec[],
  logTailLines = 0,
): Promise<Map<string, ZooKeeperStatus__Output | Error>> {
  const out = await Promise.all(
    hosts.map((h) =>
      fleet
        .agent(h)
        .zooKeeperStatus(logTailLines)
        .catch((err: Error) => err),
    ),
  );
  return new Map(hosts.map((h, i) => [h.name, out[i]]));
}

type StepFn = (
  host: HostSpec,
  name: string,
  fn: () => Promise<{ changed: boolean; description: string }>,
) => Promise<unknown>;

/**
 * Start the servers that are not running (all at once: a cold ensemble needs a majority to elect), then
 * roll the running servers whose config changed: one at a time, followers first, the leader last, the next
 * only once the last is back and the leader reports every follower synced. A server that is not serving
 * before its turn stops the roll: it never takes a second server down.
 */
async function startAndRoll(
  e: Ensemble,
  fleet: Fleet,
  zk: HostSpec[],
  configured: Map<string, StepResult__Output>,
  opts: DeployOptions,
  step: StepFn,
  reports: Map<string, HostReport>,
): Promise<void> {
  const before = await statusAll(fleet, zk);
  const running = (h: HostSpec) => {
    const s = before.get(h.name);
    return !(s instanceof Error) && !!s && s.pid > 0;
  };
  const toStart = zk.filter((h) => !running(h));
  const toRoll = zk.filter((h) => running(h) && configured.get(h.name)?.restartNeeded);
  await Promise.all(
    toStart.map((h) =>
      step(h, 'start', async () => {
        const r = await fleet.agent(h).zooKeeperService('START', opts.dryRun, { signal: opts.signal });
        return r.result!;
      }).catch((err) => {
        if (!(err instanceof HostFailed)) throw err;
      }),
    ),
  );
  if (!toRoll.length) return;
  if (opts.dryRun) {
    for (const h of toRoll)
      await step(h, 'restart', async () => ({
        changed: true,
        description: 'would restart (rolling, followers first, leader last)',
      }));
    return;
  }
  // Servers just started for the first time (a host added to the file) may only join once the others know
  // them: before rolling, wait for the servers that were already running.
  const wasRunning = new Set(zk.filter(running).map((h) => h.name));
  if (toStart.length) await waitForQuorum(e, fleet, wasRunning, e.spec.timeouts.quorumMs, opts);
  const modeOf = (h: HostSpec) => {
    const s = before.get(h.name);
    return s instanceof Error ? '' : (s?.mode ?? '');
  };
  const order = [...toRoll].sort((a, b) => Number(modeOf(a) === 'leader') - Number(modeOf(b) === 'leader'));
  opts.progress.note(`rolling restart: ${order.map((h) => h.name).join(' → ')}`);
  // A server that crashes during the roll (its agent answers, its process is gone) is started again at
  // once, with the files already written: waiting for it would only wait out the timeout.
  const done = new Set<string>();
  const reviving = new Map<string, Promise<unknown>>();
  const revive = (statuses: Map<string, ZooKeeperStatus__Output | Error>) => {
    for (const x of zk) {
      const s = statuses.get(x.name);
      if (s instanceof Error || !s || s.mode !== 'down' || reviving.has(x.name)) continue;
      reviving.set(
        x.name,
        step(x, 'start', async () => {
          const r = await fleet.agent(x).zooKeeperService('START', false, { signal: opts.signal });
          if (configured.get(x.name)?.restartNeeded) {
            done.add(x.name);
            reports.get(x.name)!.restarted = true;
          }
          return {
            changed: r.result!.changed,
            description: `${r.result!.description} (it had stopped during the roll)`,
          };
        })
          .catch(() => undefined)
          .finally(() => reviving.delete(x.name)),
      );
    }
  };
  const notServing = (statuses: Map<string, ZooKeeperStatus__Output | Error>) =>
    zk
      .map((x) => {
        const s = statuses.get(x.name);
        return s instanceof Error
          ? `${x.name} unreachable`
          : !s || !SERVING.has(s.mode)
            ? `${x.name} ${s?.mode ?? 'unknown'}`
            : '';
      })
      .filter(Boolean)
      .join(', ');
  for (const h of order) {
    // A start of this server for a crash may be under way: let it finish, it may be this server's restart.
    await reviving.get(h.name);
    if (done.has(h.name)) continue;
    // Only take a server down when the rest keep a quorum without it; a server that is not running (it
    // crashed) can only help by being started. If that does not become true in time, the roll stops here.
    const now = (await statusAll(fleet, [h])).get(h.name);
    if (now instanceof Error)
      throw new ZkfError(
        'UNAVAILABLE',
        `rolling restart stopped before ${h.name}: it is unreachable (${now.message}); no further server was restarted`,
        { host: h.name },
      );
    await waitUntil(e, fleet, zk, e.spec.timeouts.quorumMs, opts, (v, statuses) => {
      revive(statuses);
      const self = statuses.get(h.name);
      if (self instanceof Error) return `${h.name} became unreachable (${self.message})`;
      const selfServing = !(self instanceof Error) && !!self && (self.mode === 'leader' || self.mode === 'follower');
      const quorum = Math.floor(v.voters / 2) + 1;
      if (!v.leader) return `no leader (not serving: ${notServing(statuses) || 'none'})`;
      if (v.serving - (selfServing && !h.observer ? 1 : 0) < quorum)
        return `restarting ${h.name} now would leave ${v.serving - 1} of ${v.voters} voters serving (quorum ${quorum}; not serving: ${notServing(statuses)})`;
      return undefined;
    }).catch((err: Error) => {
      throw new ZkfError(
        'QUORUM_TIMEOUT',
        `rolling restart stopped before ${h.name}: ${err.message}; no further server was restarted`,
      );
    });
    await step(h, 'restart', async () => {
      const r = await fleet.agent(h).zooKeeperService('RESTART', false, { signal: opts.signal });
      // Back: the server serves again and the leader counts every serving follower as synced.
      await waitUntil(e, fleet, zk, e.spec.timeouts.quorumMs, opts, (v, statuses) => {
        revive(statuses);
        const self = statuses.get(h.name);
        if (self instanceof Error || !self || !SERVING.has(self.mode))
          return `${h.name} is ${self instanceof Error ? 'unreachable' : (self?.mode ?? 'unknown')} (not serving: ${notServing(statuses)})`;
        const leader = v.leader ? statuses.get(v.leader) : undefined;
        if (!leader || leader instanceof Error) return 'no leader';
        if (leader.syncedFollowers < v.serving - 1)
          return `leader ${v.leader} has ${leader.syncedFollowers} synced followers of ${v.serving - 1} serving`;
        return undefined;
      });
      return { changed: true, description: `${r.result!.description}; back and synced` };
    });
    reports.get(h.name)!.restarted = true;
    done.add(h.name);
  }
  await Promise.all(reviving.values());
}

/** Poll the statuses until `why` finds nothing wrong, or fail after timeoutMs saying what was still wrong. */
async function waitUntil(
  e: Ensemble,
  fleet: Fleet,
  zk: HostSpec[],
  timeoutMs: number,
  opts: { signal: AbortSignal },
  why: (v: QuorumVerdict, s: Map<string, ZooKeeperStatus__Output | Error>) => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statuses = await statusAll(fleet, zk);
    const problem = why(judgeQuorum(e, statuses), statuses);
    if (!problem) return;
    if (Date.now() > deadline)
      throw new ZkfError('QUORUM_TIMEOUT', `${problem} after ${Math.round(timeoutMs / 1000)} s`);
    await sleep(200, undefined, { signal: opts.signal });
  }
}

export async function waitForQuorum(
  e: Ensemble,
  fleet: Fleet,
  expected: Set<string>,
  timeoutMs: number,
  opts: { signal: AbortSignal; progress: Progress },
): Promise<ReturnType<typeof judgeQuorum>> {
  const zk = zkHosts(e);
  const deadline = Date.now() + timeoutMs;
  let verdict = judgeQuorum(e, await statusAll(fleet, zk), expected);
  while (!verdict.ok) {
    if (Date.now() > deadline) {
      const statuses = await statusAll(fleet, zk, 15);
      const details = zk
        .filter((h) => expected.has(h.name))
        .map((h) => {
          const s = statuses.get(h.name);
          if (s instanceof Error) return `  ${h.name}: no status: ${s.message}`;
          if (s && SERVING.has(s.mode)) return `  ${h.name}: ${s.mode}`;
          const tail = s?.logTail
            ? `\n    log tail:\n${s.logTail
                .split('\n')
                .filter(Boolean)
                .slice(-10)
                .map((l) => `      ${l}`)
                .join('\n')}`
            : '';
          return `  ${h.name}: ${s?.mode ?? 'unknown'}${s?.pid ? ` (pid ${s.pid})` : ''}${tail}`;
        });
      throw new ZkfError(
        'QUORUM_TIMEOUT',
        `no healthy quorum after ${Math.round(timeoutMs / 1000)} s: ${verdict.problems.join('; ')}\n${details.join('\n')}`,
      );
    }
    await sleep(200, undefined, { signal: opts.signal });
    verdict = judgeQuorum(e, await statusAll(fleet, zk), expected);
  }
  return verdict;
}

export type { ImageReport };
