import { asZkfError, ZkfError, type ErrorCode } from '../../shared/errors';
import type { Progress } from '../output/progress';

export interface StepReport {
  step: string;
  /** When the step started (epoch ms). */
  at: number;
  changed: boolean;
  description: string;
  ms: number;
  error?: string;
}

/** What every multi-host command reports per host. */
export interface HostReportBase {
  name: string;
  changed: boolean;
  steps: StepReport[];
  error?: string;
  errorCode?: string;
}

export type Outcome = { changed: boolean; description: string };

/**
 * The part of a multi-host command's run that is the same for deploy, bootstrap and the rest: per-host
 * steps recorded with progress and timings, a failed host that sits out later steps, cancellation.
 */
export class HostRun<R extends HostReportBase> {
  readonly started = Date.now();
  readonly timings: Record<string, number> = {};

  constructor(
    readonly reports: Map<string, R>,
    readonly progress: Progress,
    readonly signal: AbortSignal,
  ) {}

  report(h: { name: string } | string): R {
    return this.reports.get(typeof h === 'string' ? h : h.name)!;
  }

  failed(h: { name: string }): boolean {
    return !!this.report(h).error;
  }

  /** Time a phase (phases that run several times, such as upload, add up). */
  async phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t = Date.now();
    try {
      return await fn();
    } finally {
      this.timings[name] = (this.timings[name] ?? 0) + Date.now() - t;
    }
  }

  /** A step that must succeed: recorded on its host, and a failure is thrown on (it stops the run). */
  async step<T extends Outcome>(h: { name: string }, name: string, fn: () => Promise<T>): Promise<T> {
    const out = await this.hostStep(h, name, fn);
    const r = this.report(h);
    if (out === undefined) throw new ZkfError((r.errorCode as ErrorCode) ?? 'INTERNAL', r.error!, { host: h.name });
    return out;
  }

  /** A host's step: recorded, with progress; on failure the host is marked failed and undefined returned. */
  async hostStep<T extends Outcome>(h: { name: string }, name: string, fn: () => Promise<T>): Promise<T | undefined> {
    this.signal.throwIfAborted();
    const t = Date.now();
    this.progress.start(h.name, name);
    try {
      const out = await fn();
      this.record(h, { step: name, at: t, changed: out.changed, description: out.description, ms: Date.now() - t });
      this.progress.done(h.name, name, { ...out, ms: Date.now() - t });
      return out;
    } catch (err) {
      if (this.signal.aborted) throw new ZkfError('CANCELLED', 'cancelled', { cause: err });
      this.fail(h, name, err, t);
      return undefined;
    }
  }

  private record(h: { name: string }, s: StepReport): void {
    const r = this.report(h);
    r.steps.push(s);
    r.changed ||= s.changed;
  }

  /** Mark a host failed at a step (also for failures found outside a step, such as a refused probe). */
  fail(h: { name: string }, step: string, err: unknown, startedAt = Date.now()): void {
    const ze = asZkfError(err);
    const r = this.report(h);
    const ms = Date.now() - startedAt;
    r.steps.push({ step, at: startedAt, changed: false, description: '', ms, error: ze.message });
    r.error ??= `${step}: ${ze.message}`;
    r.errorCode ??= ze.code;
    this.progress.fail(h.name, step, ze.message, ms);
  }
}
