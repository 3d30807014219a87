import { asZkfError, ZkfError } from '../../shared/errors';
import type { Facts__Output } from '../../shared/proto-types/zkfleet/v1/Facts';
import type { StepResult__Output } from '../../shared/proto-types/zkfleet/v1/StepResult';
import { zkHosts, type Ensemble, type HostSpec } from '../ensemble';
import { Fleet } from '../fleet';
import type { Progress } from '../progress';
import type { ImageReport } from './image';

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
  error?: { code: string; message: string; details?: object };
  timings: Record<string, number>;
}

export type Outcome = { changed: boolean; description: string };

/**
 * One deploy's context: the ensemble, the agents, the options and the signal, and what the phases learn
 * and report (facts, myids, configure results, per-host steps and timings). A host step that fails is
 * recorded on its host, which then sits out the later phases; a failure of the whole run is thrown.
 */
export class DeployRun {
  readonly started = Date.now();
  readonly reports: Map<string, HostReport>;
  readonly result: DeployResult;
  facts = new Map<string, Facts__Output>();
  myids: Record<string, number> = {};
  configured = new Map<string, StepResult__Output>();
  imageRun: Promise<ImageReport | undefined> | undefined;

  private constructor(
    readonly e: Ensemble,
    readonly fleet: Fleet,
    readonly opts: DeployOptions,
  ) {
    const report = (h: HostSpec): HostReport => ({
      name: h.name,
      roles: [...h.roles],
      changed: false,
      restarted: false,
      steps: [],
    });
    this.reports = new Map(e.spec.hosts.map((h) => [h.name, report(h)]));
    this.result = {
      ensemble: e.spec.name,
      ok: false,
      dryRun: opts.dryRun,
      changed: false,
      exitCode: 1,
      durationMs: 0,
      hosts: [...this.reports.values()],
      warnings: [...e.warnings],
      timings: {},
    };
  }

  static async open(e: Ensemble, opts: DeployOptions): Promise<DeployRun> {
    return new DeployRun(e, await Fleet.open(e), opts);
  }

  get signal(): AbortSignal {
    return this.opts.signal;
  }
  get progress(): Progress {
    return this.opts.progress;
  }
  get dryRun(): boolean {
    return this.opts.dryRun;
  }

  /** The ZooKeeper hosts this run deploys (none with --only image). */
  get zk(): HostSpec[] {
    return this.opts.only === 'image' ? [] : zkHosts(this.e);
  }

  /** ZooKeeper hosts that have not failed a step. */
  get liveZk(): HostSpec[] {
    return this.zk.filter((h) => !this.failed(h));
  }

  report(h: HostSpec | string): HostReport {
    return this.reports.get(typeof h === 'string' ? h : h.name)!;
  }

  failed(h: HostSpec): boolean {
    return !!this.report(h).error;
  }

  /** Time a phase (phases that run several times, such as upload, add up). */
  async phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t = Date.now();
    try {
      return await fn();
    } finally {
      this.result.timings[name] = (this.result.timings[name] ?? 0) + Date.now() - t;
    }
  }

  /** A step that must succeed: recorded on its host, and a failure is thrown on (it stops the run). */
  async step<T extends Outcome>(h: HostSpec, name: string, fn: () => Promise<T>): Promise<T> {
    const out = await this.hostStep(h, name, fn);
    if (out === undefined) throw new ZkfError((this.report(h).errorCode as never) ?? 'INTERNAL', this.report(h).error!);
    return out;
  }

  /** A host's step: recorded, with progress; on failure the host is marked failed and undefined returned. */
  async hostStep<T extends Outcome>(h: HostSpec, name: string, fn: () => Promise<T>): Promise<T | undefined> {
    this.signal.throwIfAborted();
    const r = this.report(h);
    const t = Date.now();
    this.progress.start(h.name, name);
    try {
      const out = await fn();
      const ms = Date.now() - t;
      r.steps.push({ step: name, changed: out.changed, description: out.description, ms });
      r.changed ||= out.changed;
      this.progress.done(h.name, name, { ...out, ms });
      return out;
    } catch (err) {
      if (this.signal.aborted) throw new ZkfError('CANCELLED', 'cancelled', { cause: err });
      const ze = asZkfError(err);
      const ms = Date.now() - t;
      r.steps.push({ step: name, changed: false, description: '', ms, error: ze.message });
      r.error ??= `${name}: ${ze.message}`;
      r.errorCode ??= ze.code;
      this.progress.fail(h.name, name, ze.message, ms);
      return undefined;
    }
  }

  /** Settle the result: exit 0, or 2 when some host failed; a thrown error makes it 1. */
  finish(err?: unknown): DeployResult {
    const reports = [...this.reports.values()];
    this.result.changed = reports.some((r) => r.changed);
    if (err !== undefined) {
      const ze = asZkfError(err);
      this.result.error = { code: ze.code, message: ze.message, details: ze.details };
      this.result.exitCode = 1;
    } else {
      const anyFailed = reports.some((r) => r.error);
      this.result.ok = !anyFailed;
      this.result.exitCode = anyFailed ? 2 : 0;
    }
    this.result.durationMs = Date.now() - this.started;
    return this.result;
  }

  close(): void {
    this.fleet.close();
  }
}
