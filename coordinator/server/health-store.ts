import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ZOOKEEPER_DEFAULTS } from '../../shared/defaults';
import { lowDisk } from '../../shared/disk';
import { readFileOr, writeFileAtomic } from '../../shared/fs-atomic';
import type { Logger } from '../../shared/logger';
import type { Event, HealthReport__Output } from '../../shared/generated/wire';

export interface HostRecord {
  name: string;
  receivedAtMs: number;
  stale: boolean;
  report: HealthReport__Output;
}

/** A host's low disk, by the one rule (shared/disk.ts) with the default floor. */
export function lowDiskOf(report: HealthReport__Output): string | undefined {
  return lowDisk(report.disks, ZOOKEEPER_DEFAULTS.minFreeMB);
}

function restartDetail(r: HealthReport__Output): string {
  const z = r.zookeeper!;
  const by = `ZooKeeper started again by the ${z.supervisor || 'agent'} (restart ${z.restarts})`;
  return `${by}: it had stopped: ${z.lastExit || 'unknown'}`;
}

/**
 * The latest report per host and the events between them (up, stale, mode, drift, disk). Reports are taken
 * in memory at once; the file copy (reports.json, written atomically) follows within a second, and events
 * are appended to events.jsonl as they happen, so a restart of the server loses neither.
 */
export class HealthStore {
  private readonly hosts = new Map<string, HostRecord>();
  private readonly recent: Event[] = [];
  private dirty = false;
  private flushing: Promise<void> | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private eventsFile: fs.FileHandle | undefined;
  reportsTotal = 0;

  constructor(
    private readonly dir: string,
    private readonly log: Logger,
  ) {}

  private get reportsPath() {
    return path.join(this.dir, 'reports.json');
  }
  private get eventsPath() {
    return path.join(this.dir, 'events.jsonl');
  }

  async open(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const saved = await readFileOr(this.reportsPath);
    if (saved) {
      try {
        for (const r of JSON.parse(saved) as HostRecord[]) this.hosts.set(r.name, r);
      } catch (err) {
        this.log.warn('reports.json unreadable; starting without the last reports', { error: (err as Error).message });
      }
    }
    const events = (await readFileOr(this.eventsPath)) ?? '';
    for (const line of events.split('\n').filter(Boolean).slice(-500)) {
      try {
        this.recent.push(JSON.parse(line) as Event);
      } catch {
        /* a torn last line after a crash */
      }
    }
    this.eventsFile = await fs.open(this.eventsPath, 'a', 0o600);
    this.timers.push(
      setInterval(() => this.sweep(), 500),
      setInterval(() => void this.flush(), 1000),
    );
    for (const t of this.timers) t.unref();
  }

  /** Record an event (host events from reports; the backup schedule's own). */
  event(host: string, kind: string, detail: string): void {
    const e: Event = { atMs: Date.now(), host, kind, detail };
    this.recent.push(e);
    if (this.recent.length > 1000) this.recent.splice(0, this.recent.length - 1000);
    this.log.info('host event', { host, kind, detail, at: new Date(e.atMs as number).toISOString() });
    void this.eventsFile?.appendFile(JSON.stringify(e) + '\n');
  }

  accept(report: HealthReport__Output): number {
    const now = Date.now();
    this.reportsTotal++;
    const prev = this.hosts.get(report.name);
    if (!prev) this.event(report.name, 'up', `first report (mode ${report.zookeeper?.mode ?? '?'})`);
    else if (prev.stale)
      this.event(report.name, 'up', `reporting again after ${Math.round((now - prev.receivedAtMs) / 1000)} s`);
    if (prev) this.changes(prev.report, report);
    else this.firstReport(report);
    this.hosts.set(report.name, { name: report.name, receivedAtMs: now, stale: false, report });
    this.dirty = true;
    return now;
  }

  /** The events between a host's last report and this one. */
  private changes(a: HealthReport__Output, b: HealthReport__Output): void {
    const [ma, mb] = [a.zookeeper?.mode, b.zookeeper?.mode];
    if (ma !== mb) this.event(b.name, 'mode', `${ma} → ${mb}`);
    const [da, db] = [a.drift.join(', '), b.drift.join(', ')];
    if (da !== db) this.event(b.name, 'drift', db || 'drift resolved');
    const [la, lb] = [lowDiskOf(a), lowDiskOf(b)];
    if (!!la !== !!lb) this.event(b.name, 'disk', lb ? `low disk: ${lb}` : 'disk space back');
    const [ra, rb] = [a.zookeeper?.restarts ?? 0, b.zookeeper?.restarts ?? 0];
    if (rb > ra) this.event(b.name, 'restart', restartDetail(b));
  }

  private firstReport(r: HealthReport__Output): void {
    if (r.drift.length) this.event(r.name, 'drift', r.drift.join(', '));
    const low = lowDiskOf(r);
    if (low) this.event(r.name, 'disk', `low disk: ${low}`);
  }

  private sweep(): void {
    const now = Date.now();
    for (const r of this.hosts.values()) {
      const ttl = r.report.ttlMs || 30_000;
      if (!r.stale && now - r.receivedAtMs > ttl) {
        r.stale = true;
        this.dirty = true;
        this.event(
          r.name,
          'stale',
          `no report for ${Math.round((now - r.receivedAtMs) / 1000)} s (TTL ${Math.round(ttl / 1000)} s)`,
        );
      }
    }
  }

  async flush(): Promise<void> {
    if (!this.dirty || this.flushing) return this.flushing;
    this.dirty = false;
    this.flushing = writeFileAtomic(this.reportsPath, JSON.stringify([...this.hosts.values()]), { mode: 0o600 })
      .catch((err) => {
        this.dirty = true;
        this.log.error('cannot write reports.json', { error: (err as Error).message });
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  view(maxEvents: number): { hosts: HostRecord[]; events: Event[] } {
    this.sweep();
    return { hosts: [...this.hosts.values()], events: this.recent.slice(-maxEvents) };
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.dirty = true;
    await this.flush();
    await this.eventsFile?.close();
  }
}
