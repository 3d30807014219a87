import * as grpc from '@grpc/grpc-js';
import type { CoordinatorClient } from '../../shared/proto';
import type { HealthReport, ReportAck__Output } from '../../shared/generated/wire';

// A stream is reopened after this long: its RPC has a deadline like every other, and a reopened stream
// presents the agent's current certificate again (a renewed one takes effect without an agent restart).
const STREAM_LIFETIME_MS = 10 * 60_000;

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * Health reports over one long-lived ReportStream: each report is one message and one ack in order, not an
 * HTTP/2 stream and a certificate check each. A coordinator server that does not know the stream
 * (UNIMPLEMENTED: an older zkfleet) gets unary Report calls, as before.
 */
export class ReportChannel {
  private stream: grpc.ClientDuplexStream<HealthReport, ReportAck__Output> | undefined;
  private openedAt = 0;
  private readonly waiting: Waiter[] = [];
  private unaryOnly = false;

  constructor(private readonly client: CoordinatorClient) {}

  async send(report: HealthReport, timeoutMs: number): Promise<void> {
    if (this.unaryOnly) return this.sendUnary(report, timeoutMs);
    try {
      await this.sendOnStream(report, timeoutMs);
    } catch (err) {
      if ((err as grpc.ServiceError).code !== grpc.status.UNIMPLEMENTED) throw err;
      this.unaryOnly = true;
      await this.sendUnary(report, timeoutMs);
    }
  }

  close(): void {
    this.drop(new Error('the report channel was closed'));
  }

  private sendUnary(report: HealthReport, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.client.Report(report, { deadline: Date.now() + timeoutMs }, (err) => (err ? reject(err) : resolve()));
    });
  }

  private sendOnStream(report: HealthReport, timeoutMs: number): Promise<void> {
    const stream = this.openStream();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        // Acks come in order; a report that waited too long leaves the stream unusable for matching.
        this.drop(Object.assign(new Error(`no ack within ${timeoutMs} ms`), { code: grpc.status.DEADLINE_EXCEEDED }));
      }, timeoutMs);
      const done = (err?: Error) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      this.waiting.push({ resolve: () => done(), reject: done });
      stream.write(report);
    });
  }

  private openStream(): grpc.ClientDuplexStream<HealthReport, ReportAck__Output> {
    if (this.stream && Date.now() - this.openedAt > STREAM_LIFETIME_MS && !this.waiting.length) {
      this.stream.end();
      this.stream = undefined;
    }
    if (this.stream) return this.stream;
    const stream = this.client.ReportStream({ deadline: Date.now() + STREAM_LIFETIME_MS + 60_000 });
    stream.on('data', () => this.waiting.shift()?.resolve());
    stream.on('error', (err: Error) => this.fail(stream, err));
    stream.on('end', () => this.fail(stream, new Error('the coordinator ended the report stream')));
    this.stream = stream;
    this.openedAt = Date.now();
    return stream;
  }

  /** The stream failed or ended: everything waiting on it fails with why; the next report opens a new one. */
  private fail(stream: grpc.ClientDuplexStream<HealthReport, ReportAck__Output>, err: Error): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    for (const w of this.waiting.splice(0)) w.reject(err);
  }

  private drop(err: Error): void {
    const stream = this.stream;
    if (!stream) return;
    this.fail(stream, err);
    stream.cancel();
  }
}
