import type { Logger } from 'winston';
import { ZkfError } from '../../shared/errors';
import { listBackups } from '../backup/store';
import { takeBackup } from '../backup/take';
import { loadEnsemble } from '../ensemble/file';
import type { Progress } from '../output/progress';
import type { ServeConfig } from './config';

type Events = (host: string, kind: string, detail: string) => void;

/** Progress of a scheduled backup goes to the server's log, not a terminal. */
function logProgress(log: Logger): Progress {
  return {
    start: () => undefined,
    done: () => undefined,
    fail: (host, step, message) => log.warn('backup step failed', { host, step, message }),
    detail: () => undefined,
    note: (text) => log.info('backup', { note: text.trim() }),
    close: () => undefined,
  };
}

/**
 * `backup:` in the serve config: a backup of the ensemble every `every`, kept as `coordinator backup`
 * keeps them; each one an event (backup, backup-failed), the last good one's time and size as metrics.
 */
export class BackupSchedule {
  lastSuccess = 0;
  lastBytes = 0;
  failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly ac = new AbortController();

  constructor(
    private readonly config: NonNullable<ServeConfig['backup']>,
    private readonly event: Events,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const e = await loadEnsemble(this.config.ensemble, { checkArtifacts: false });
    const newest = (await listBackups(this.config.dir ?? e.backupDir, e.spec.name)).find((b) => b.verified);
    if (newest) this.lastSuccess = Date.parse(newest.createdAt);
    this.timer = setInterval(() => void this.once(), this.config.everyMs);
    this.timer.unref();
  }

  /** One backup now; a backup still running when the next is due is not doubled. */
  once(): Promise<void> {
    this.running ??= this.take().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Told each backup's duration and outcome (the server's /metrics histogram). */
  onTaken: ((seconds: number, ok: boolean) => void) | undefined;

  private async take(): Promise<void> {
    const started = performance.now();
    const taken = (ok: boolean) => this.onTaken?.((performance.now() - started) / 1000, ok);
    try {
      const e = await loadEnsemble(this.config.ensemble, { checkArtifacts: false });
      const dir = this.config.dir ?? e.backupDir;
      const keep = this.config.keep ?? e.spec.backup.keep;
      const r = await takeBackup(e, { dir, keep, progress: logProgress(this.log), signal: this.ac.signal });
      this.lastSuccess = Date.now();
      this.lastBytes = r.bytes;
      this.event(r.manifest.source.host, 'backup', `${r.name}: ${r.manifest.verified.nodeCount} znodes, verified`);
      taken(true);
    } catch (err) {
      this.failures++;
      taken(false);
      this.event('ensemble', 'backup-failed', err instanceof ZkfError ? err.message : String(err));
    }
  }

  /** The schedule, in ms (backup.every). */
  get everyMs(): number {
    return this.config.everyMs;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.ac.abort();
    await this.running?.catch(() => undefined);
  }
}
