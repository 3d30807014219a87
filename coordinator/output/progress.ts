import { Writable } from 'node:stream';

/**
 * Progress of a long run, on stderr: each step's start and end per host as it happens. On a TTY a live
 * view (one line per host, redrawn); otherwise timestamped lines that a log collector can keep.
 */
export interface Progress {
  start(host: string, step: string, detail?: string): void;
  done(host: string, step: string, outcome: { changed: boolean; description: string; ms: number }): void;
  fail(host: string, step: string, message: string, ms: number): void;
  /** A line of output from inside a long step (a build log). */
  detail(host: string, step: string, line: string): void;
  note(message: string): void;
  close(): void;
}

const ts = () => new Date().toISOString().slice(11, 23);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export class LineProgress implements Progress {
  constructor(
    private readonly out: NodeJS.WritableStream = process.stderr,
    private readonly width = 10,
  ) {}
  private line(host: string, text: string) {
    this.out.write(`${ts()} ${host.padEnd(this.width)} ${text}\n`);
  }
  start(host: string, step: string, detail?: string) {
    this.line(host, `${step} ...${detail ? ` ${detail}` : ''}`);
  }
  done(host: string, step: string, o: { changed: boolean; description: string; ms: number }) {
    this.line(host, `${step} ${o.changed ? 'changed' : 'ok'} (${secs(o.ms)}): ${o.description}`);
  }
  fail(host: string, step: string, message: string, ms: number) {
    const [first, ...rest] = message.trimEnd().split('\n');
    this.line(host, `${step} FAILED (${secs(ms)}): ${first}`);
    // The rest (a server's log tail) is why it failed: shown whole, each line marked as the step's.
    for (const l of rest) this.detail(host, step, l);
  }
  detail(host: string, step: string, line: string) {
    this.line(host, `${step} | ${line}`);
  }
  note(message: string) {
    this.out.write(`${ts()} ${message}\n`);
  }
  close() {
    /* nothing buffered */
  }
}

export class TtyProgress implements Progress {
  private readonly rows = new Map<
    string,
    { step: string; state: 'run' | 'ok' | 'changed' | 'failed'; since: number; text: string }
  >();
  private drawn = 0;
  /** Failed steps' whole messages, printed under the view at the end (a row shows only the first line). */
  private readonly failures: string[] = [];
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {
    this.timer = setInterval(() => this.draw(), 250);
    this.timer.unref();
  }
  private set(host: string, step: string, state: 'run' | 'ok' | 'changed' | 'failed', text: string) {
    this.rows.set(host, { step, state, since: Date.now(), text });
    this.draw();
  }
  start(host: string, step: string, detail?: string) {
    this.set(host, step, 'run', detail ?? '');
  }
  done(host: string, step: string, r: { changed: boolean; description: string; ms: number }) {
    this.set(host, step, r.changed ? 'changed' : 'ok', r.description);
  }
  fail(host: string, step: string, message: string) {
    this.set(host, step, 'failed', message.split('\n')[0]);
    this.failures.push(`${host} ${step}: ${message.trimEnd()}`);
  }
  detail(host: string, step: string, line: string) {
    const r = this.rows.get(host);
    if (r && r.step === step && r.state === 'run') r.text = line.trim();
  }
  note(message: string) {
    this.clear();
    this.out.write(`${message}\n`);
    this.draw();
  }
  private clear() {
    if (this.drawn) this.out.write(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }
  private draw() {
    this.clear();
    const width = Math.max(10, ...[...this.rows.keys()].map((k) => k.length));
    const cols = this.out.columns || 100;
    const mark = {
      run: '\x1b[36m…\x1b[0m',
      ok: '\x1b[32m✓\x1b[0m',
      changed: '\x1b[33m✓\x1b[0m',
      failed: '\x1b[31m✗\x1b[0m',
    };
    for (const [host, r] of this.rows) {
      const elapsed = r.state === 'run' ? ` ${secs(Date.now() - r.since)}` : '';
      const line = `${mark[r.state]} ${host.padEnd(width)} ${r.step}${elapsed} ${r.text}`;
      this.out.write(`${line.slice(0, cols + 9)}\n`);
    }
    this.drawn = this.rows.size;
  }
  close() {
    clearInterval(this.timer);
    this.draw();
    for (const f of this.failures) this.out.write(`\n${f}\n`);
  }
}

export function progressFor(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  if (quiet) return new LineProgress(new Writable({ write: (_c, _e, cb) => cb() }));
  return stream.isTTY && !process.env.CI ? new TtyProgress(stream) : new LineProgress(stream);
}
