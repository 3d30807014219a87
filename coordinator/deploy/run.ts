import { asZkfError } from '../../shared/errors';
import { HostRun, type HostReportBase } from '../fleet/host-run';
import type { Facts__Output, StepResult__Output } from '../../shared/generated/wire';
import { zkHosts, type Ensemble, type HostSpec } from '../ensemble/file';
import { Fleet } from '../fleet/fleet';
import type { Progress } from '../output/progress';
import type { TlsMaterial } from '../../shared/pki/tls';
import type { QuorumStage } from '../../shared/zookeeper/tls';
import type { Statuses } from '../zookeeper/quorum';
import type { DeployLease } from '../fleet/lease';
import type { DigestUser } from '../ensemble/zookeeper-users';
import type { Target } from '../artifacts/versions';
import type { Member, MembershipStep } from '../zookeeper/membership';

/** A planned membership change: the servers it starts from (with their hosts) and its steps. */
export interface MembershipChange {
  current: Member[];
  steps: MembershipStep[];
  /** Every host a step names: the file's, and the removed ones from the state. */
  hosts: Map<string, HostSpec>;
  /** Through ZooKeeper's reconfig (no server that stays restarts), or static. */
  dynamic: boolean;
}

/** The commands that run as a DeployRun (each holds the lease while it changes hosts). */
export type RunCommand = 'deploy' | 'rollback' | 'restore';

export interface DeployOptions {
  dryRun: boolean;
  /** Install an older minor version of ZooKeeper or the JDK than the hosts have. */
  allowDowngrade?: boolean;
  /** Take the deploy lease even from a live holder (printed and audited on the agents). */
  breakLock?: boolean;
  only?: 'image' | 'zookeeper';
  /** A membership step that cannot keep the quorum (a dead server replaced statically) may go ahead. */
  allowOutage?: boolean;
  progress: Progress;
  signal: AbortSignal;
  skipVerify?: boolean;
}

export interface HostReport extends HostReportBase {
  roles: string[];
  myid?: number;
  dnsName?: string;
  mode?: string;
  zxid?: string;
  restarted: boolean;
}
export interface DeployResult {
  command: RunCommand;
  ensemble: string;
  ok: boolean;
  dryRun: boolean;
  changed: boolean;
  exitCode: 0 | 1 | 2 | 75;
  durationMs: number;
  hosts: HostReport[];
  registry?: string;
  leader?: string;
  verify?: { path: string; checked: string[] };
  /** zookeeper.auth: the registry root's ACL (users by name; passwords are in files beside the state). */
  acl?: { path: string; entries: string; changed: boolean; enforced: boolean; users: Record<string, string> };
  image?: ImageReport;
  warnings: string[];
  /** The versions of the file's artifacts, and what each host ran before (a deploy that changes them). */
  versions?: { target: Target; hosts: Record<string, { zookeeper: string; jdk: string }> };
  /** zookeeper.tls.quorum changing: the stages this deploy rolls through. */
  quorumTls?: { from: string; to: string; stages: string[] };
  /** restore: what it will do, shown before it does it. */
  plan?: string[];
  /** Leases taken from another holder with --break-lock. */
  brokenLeases?: string[];
  error?: { code: string; message: string; details?: object };
  timings: Record<string, number>;
}

/** Quorum TLS in a deploy: the stage zoo.cfg gets now, and the stages still to roll through after it. */
export interface QuorumTlsRun {
  stage: QuorumStage;
  remaining: QuorumStage[];
}

/** What the base image's build on the ops host did. */
export interface ImageReport {
  host: string;
  tag: string;
  changed: boolean;
  builder: string;
  digest: string;
  description: string;
}

/**
 * One deploy's context: the ensemble, the agents, the options and the signal, and what the phases learn
 * and report (facts, myids, configure results, per-host steps and timings). A host step that fails is
 * recorded on its host, which then sits out the later phases; a failure of the whole run is thrown.
 */
export class DeployRun extends HostRun<HostReport> {
  readonly result: DeployResult;
  facts = new Map<string, Facts__Output>();
  myids: Record<string, number> = {};
  configured = new Map<string, StepResult__Output>();
  imageRun: Promise<ImageReport | undefined> | undefined;
  lease: DeployLease | undefined;
  /** The versions of the file's ZooKeeper and JDK (what every server must report after its restart). */
  target: Target | undefined;
  /** With reconfig: the super user the reconfig calls authenticate as (its digest goes to the servers). */
  superUser: DigestUser | undefined;
  /** Hosts whose 3.4 dataDir 3.5+ would refuse: snapshot.trust.empty is set while they move, then removed. */
  trustEmpty: string[] = [];
  /** Dry run: hosts that would get a tree not uploaded yet (their running server would roll onto it). */
  newTrees = new Set<string>();
  /** The servers' statuses as the start phase read them, when it then started and restarted nothing. */
  untouched: Statuses | undefined;
  /** The membership change this run makes, one step at a time (planned before anything is touched). */
  membership: MembershipChange | undefined;
  /** Quorum TLS: the stage zoo.cfg gets now and those still to roll through; the servers' certificates. */
  quorumTls: QuorumTlsRun | undefined;
  serverCerts = new Map<string, string>();
  tlsCaPem: string | undefined;
  /** The server list zoo.cfg gets now: the file's, or during a membership change the list of its step. */
  private serverList: HostSpec[] | undefined;
  private readonly aborter: AbortController;

  private constructor(
    readonly e: Ensemble,
    readonly fleet: Fleet,
    readonly opts: DeployOptions,
    readonly command: RunCommand,
  ) {
    const report = (h: HostSpec): HostReport => ({
      name: h.name,
      roles: [...h.roles],
      changed: false,
      restarted: false,
      steps: [],
    });
    // The run stops on the operator's interrupt and on a lost lease alike.
    const aborter = new AbortController();
    opts.signal.addEventListener('abort', () => aborter.abort(opts.signal.reason), { once: true });
    super(new Map(e.spec.hosts.map((h) => [h.name, report(h)])), opts.progress, aborter.signal);
    this.aborter = aborter;
    this.result = {
      command,
      ensemble: e.spec.name,
      ok: false,
      dryRun: opts.dryRun,
      changed: false,
      exitCode: 1,
      durationMs: 0,
      hosts: [...this.reports.values()],
      warnings: [...e.warnings],
      timings: this.timings,
    };
  }

  static async open(e: Ensemble, opts: DeployOptions, command: RunCommand = 'deploy'): Promise<DeployRun> {
    return new DeployRun(e, await Fleet.open(e), opts, command);
  }

  /** Hold the lease for this run: losing it aborts the run. */
  holdLease(lease: DeployLease): void {
    this.lease = lease;
    lease.signal.addEventListener('abort', () => this.aborter.abort(lease.signal.reason), { once: true });
  }

  get dryRun(): boolean {
    return this.opts.dryRun;
  }

  /** The ZooKeeper hosts this run deploys (none with --only image). */
  get zk(): HostSpec[] {
    return this.opts.only === 'image' ? [] : zkHosts(this.e);
  }

  /** The servers every zoo.cfg lists now. */
  get servers(): HostSpec[] {
    return this.serverList ?? this.zk;
  }

  /** A membership step renders its own list; undefined: the file's. */
  useServers(list: HostSpec[] | undefined): void {
    this.serverList = list;
  }

  /** A server that left the file (a membership change removes it) gets a report of its own. */
  addHost(h: HostSpec): void {
    if (this.reports.has(h.name)) return;
    const r: HostReport = { name: h.name, roles: [...h.roles], changed: false, restarted: false, steps: [] };
    this.reports.set(h.name, r);
    this.result.hosts.push(r);
  }

  /**
   * How zkfleet's own client calls reach the servers: the plain port, or with client TLS `only` the secure port
   * through the coordinator's TLS bridge (coordinator/zookeeper/tls-bridge.ts), as the coordinator.
   */
  get zkClient(): { port: number; tls?: TlsMaterial } {
    const z = this.e.spec.zookeeper;
    return z.tls.client === 'only' ? { port: z.tls.secureClientPort, tls: this.fleet.tls } : { port: z.clientPort };
  }

  /** ZooKeeper hosts that have not failed a step. */
  get liveZk(): HostSpec[] {
    return this.zk.filter((h) => !this.failed(h));
  }

  /**
   * Settle a failed run. A run that stopped while its lease was lost (a coordinator suspended past it sees
   * its calls time out first) says so: the lease is checked before the error is reported.
   */
  async finishFailed(err: unknown): Promise<DeployResult> {
    if (this.lease && !this.lease.signal.aborted) await this.lease.confirm().catch(() => undefined);
    return this.finish(err);
  }

  /** Settle the result: exit 0, or 2 when some host failed; a thrown error makes it 1. */
  finish(err?: unknown): DeployResult {
    const reports = [...this.reports.values()];
    this.result.changed = reports.some((r) => r.changed);
    if (err !== undefined) {
      const lost = this.lease?.signal.aborted ? asZkfError(this.lease.signal.reason) : undefined;
      const ze = lost ?? asZkfError(err);
      this.result.error = { code: ze.code, message: ze.message, details: ze.details };
      // 75 (EX_TEMPFAIL): another deploy holds the ensemble; the same command later will go through.
      this.result.exitCode = ze.code === 'LOCKED' ? 75 : 1;
    } else {
      const anyFailed = reports.some((r) => r.error);
      this.result.ok = !anyFailed;
      this.result.exitCode = anyFailed ? 2 : 0;
    }
    this.result.durationMs = Date.now() - this.started;
    return this.result;
  }

  async close(): Promise<void> {
    if (this.lease) {
      this.result.brokenLeases = this.lease.broken.length ? this.lease.broken : undefined;
      await this.lease.release();
    }
    this.fleet.close();
  }
}
