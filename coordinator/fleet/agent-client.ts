import * as grpc from '@grpc/grpc-js';
import { createReadStream } from 'node:fs';
import { fromServiceError, ZkfError } from '../../shared/errors';
import { zkfleetProto, type AgentClient } from '../../shared/proto';
import type {
  BackupChunk__Output,
  BackupFile,
  BuildImageRequest,
  BuildImageResult__Output,
  ConfigureZooKeeperRequest,
  ExecExit__Output,
  ExecRequest,
  Facts__Output,
  FactsRequest,
  InstallRequest,
  LeaseReply__Output,
  LeaseRequest,
  Resolution__Output,
  RestoreDataRequest,
  StepResult__Output,
  UpsertDnsRecordsRequest,
  VerifyBackupReply__Output,
  ZooKeeperServiceReply__Output,
  ZooKeeperStatus__Output,
  ZooKeeperServerKeyReply__Output,
  ZooKeeperServerKeyRequest,
} from '../../shared/generated/wire';
import { clientCredentials, diagnoseTls, type TlsMaterial } from '../../shared/pki/tls';

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const CHUNK = 1 << 20;

/**
 * A typed, promise-based client for one agent. Every call has a deadline and follows an AbortSignal;
 * errors come back as ZkfError naming the host.
 */
export class AgentConnection {
  readonly client: AgentClient;

  constructor(
    readonly name: string,
    readonly address: string,
    private readonly tls: TlsMaterial,
  ) {
    const Agent = zkfleetProto().zkfleet.v1.Agent;
    this.client = new Agent(address, clientCredentials(tls, { role: 'agent', name }), {
      'grpc.keepalive_time_ms': 30_000,
      'grpc.max_send_message_length': 16 << 20,
      'grpc-node.flow_control_window': 16 << 20,
      // Retries would buffer every message of a client stream (an upload) for a possible replay.
      'grpc.enable_retries': 0,
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 2000,
    });
  }

  close(): void {
    this.client.close();
  }

  private opts(o: CallOptions = {}): grpc.CallOptions {
    return { deadline: Date.now() + (o.timeoutMs ?? DEFAULT_TIMEOUT_MS) };
  }

  /** Wrap a unary call: deadline, cancellation on abort, error conversion. */
  private unary<Req, Res>(
    method: (req: Req, opts: grpc.CallOptions, cb: grpc.requestCallback<Res>) => grpc.ClientUnaryCall,
    req: Req,
    o: CallOptions = {},
  ): Promise<Res> {
    if (o.signal?.aborted) return Promise.reject(new ZkfError('CANCELLED', 'cancelled', { host: this.name }));
    return new Promise<Res>((resolve, reject) => {
      const call = method.call(this.client, req, this.opts(o), (err, res) => {
        o.signal?.removeEventListener('abort', onAbort);
        if (err) reject(fromServiceError(err, this.name));
        else resolve(res as Res);
      });
      const onAbort = () => call.cancel();
      o.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Wait until the channel is connected (mTLS handshake done), or fail with why. */
  waitReady(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new ZkfError('CANCELLED', 'cancelled', { host: this.name }));
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new ZkfError('CANCELLED', 'cancelled', { host: this.name }));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.client.waitForReady(Date.now() + timeoutMs, (err) => {
        signal?.removeEventListener('abort', onAbort);
        if (!err) return resolve();
        diagnoseTls(this.address, this.tls, { role: 'agent', name: this.name }).then((why) => {
          reject(
            new ZkfError('UNAVAILABLE', `cannot reach agent ${this.name}: ${why}`, { host: this.name, cause: err }),
          );
        }, reject);
      });
    });
  }

  facts(req: FactsRequest, o?: CallOptions): Promise<Facts__Output> {
    return this.unary(this.client.Facts, req, o);
  }
  hasArtifact(sha256: string, o?: CallOptions): Promise<{ present: boolean; size: number }> {
    return this.unary(this.client.HasArtifact, { sha256 }, o);
  }
  installJdk(req: InstallRequest, o?: CallOptions): Promise<StepResult__Output> {
    return this.unary(this.client.InstallJdk, req, { timeoutMs: 300_000, ...o });
  }
  installZooKeeper(req: InstallRequest, o?: CallOptions): Promise<StepResult__Output> {
    return this.unary(this.client.InstallZooKeeper, req, { timeoutMs: 300_000, ...o });
  }
  configureZooKeeper(req: ConfigureZooKeeperRequest, o?: CallOptions): Promise<StepResult__Output> {
    return this.unary(this.client.ConfigureZooKeeper, req, o);
  }
  zooKeeperServerKey(req: ZooKeeperServerKeyRequest, o?: CallOptions): Promise<ZooKeeperServerKeyReply__Output> {
    return this.unary(this.client.ZooKeeperServerKey, req, { timeoutMs: 30_000, ...o });
  }
  /** `trees`: activate the trees staged for the server (an upgrade's turn), or go back to the ones before. */
  zooKeeperService(
    action: 'STATUS' | 'START' | 'STOP' | 'RESTART' | 'RETIRE',
    dryRun: boolean,
    o?: CallOptions,
    trees: { activate?: boolean; rollback?: boolean } = {},
  ): Promise<ZooKeeperServiceReply__Output> {
    return this.unary(this.client.ZooKeeperService, { action, dryRun, ...trees }, { timeoutMs: 90_000, ...o });
  }
  lease(req: LeaseRequest, o?: CallOptions): Promise<LeaseReply__Output> {
    return this.unary(this.client.Lease, req, { timeoutMs: 5_000, ...o });
  }
  zooKeeperStatus(logTailLines = 0, o?: CallOptions): Promise<ZooKeeperStatus__Output> {
    return this.unary(this.client.ZooKeeperStatus, { logTailLines }, { timeoutMs: 5_000, ...o });
  }
  upsertDnsRecords(req: UpsertDnsRecordsRequest, o?: CallOptions): Promise<StepResult__Output> {
    return this.unary(this.client.UpsertDnsRecords, req, { timeoutMs: 60_000, ...o });
  }
  async resolve(names: string[], o?: CallOptions): Promise<Resolution__Output[]> {
    return (await this.unary<{ names: string[] }, { results: Resolution__Output[] }>(this.client.Resolve, { names }, o))
      .results;
  }

  /** Stream a file in 1 MiB chunks; the agent verifies the digest before keeping it. */
  upload(
    file: string,
    sha256: string,
    size: number,
    name: string,
    onBytes: (n: number) => void,
    o: CallOptions & { unpackInto?: string } = {},
  ): Promise<{ changed: boolean }> {
    return new Promise((resolve, reject) => {
      const call = this.client.UploadArtifact(this.opts({ timeoutMs: 600_000, ...o }), (err, res) => {
        o.signal?.removeEventListener('abort', onAbort);
        if (err) reject(fromServiceError(err, this.name));
        else resolve({ changed: !!res?.changed });
      });
      const onAbort = () => {
        stream.destroy();
        call.cancel();
      };
      o.signal?.addEventListener('abort', onAbort, { once: true });
      const stream = createReadStream(file, { highWaterMark: CHUNK });
      const meta = { sha256, size, name, unpackInto: o.unpackInto ?? '' };
      let first = true;
      stream.on('data', (data) => {
        const chunk = first ? { ...meta, data: data as Buffer } : { data: data as Buffer };
        first = false;
        onBytes((data as Buffer).length);
        if (!call.write(chunk)) {
          stream.pause();
          call.once('drain', () => stream.resume());
        }
      });
      stream.on('end', () => {
        if (first) call.write({ ...meta, data: Buffer.alloc(0) });
        call.end();
      });
      stream.on('error', (err) => {
        call.cancel();
        reject(new ZkfError('NOT_FOUND', `cannot read ${file}: ${err.message}`, { host: this.name, cause: err }));
      });
    });
  }

  /** Run a command; output arrives through the callbacks; resolves with the exit. */
  exec(
    req: ExecRequest,
    out: { stdout(b: Buffer): void; stderr(b: Buffer): void },
    o: CallOptions = {},
  ): Promise<ExecExit__Output> {
    const call = this.client.Exec(req, this.opts({ timeoutMs: (req.timeoutMs ?? 0) + 30_000, ...o }));
    return this.serverStream(call, o.signal, 'exec', (ev) => {
      if (ev.stdout) out.stdout(ev.stdout);
      else if (ev.stderr) out.stderr(ev.stderr);
      return ev.exit ?? undefined;
    });
  }

  buildImage(
    req: BuildImageRequest,
    onLog: (line: string) => void,
    o: CallOptions = {},
  ): Promise<BuildImageResult__Output> {
    const call = this.client.BuildImage(req, this.opts({ timeoutMs: 900_000, ...o }));
    return this.serverStream(call, o.signal, 'image build', (ev) => {
      if (ev.log) onLog(ev.log);
      return ev.result ?? undefined;
    });
  }

  /**
   * A backup from this server: each chunk is handed to `onChunk` in order, and the stream waits while it
   * works (a slow disk on this side never makes the agent buffer a dataDir in memory).
   */
  backupData(onChunk: (c: BackupChunk__Output) => Promise<void>, o: CallOptions = {}): Promise<void> {
    const call = this.client.BackupData({}, this.opts({ timeoutMs: 3_600_000, ...o }));
    let chain = Promise.resolve();
    let failed: unknown;
    const take = (ev: BackupChunk__Output) => {
      call.pause();
      chain = chain.then(async () => {
        if (failed) return;
        try {
          await onChunk(ev);
          call.resume();
        } catch (err) {
          failed = err;
          call.cancel();
        }
      });
      return undefined;
    };
    return this.serverStream(call, o.signal, 'backup', take, true)
      .then(() => chain)
      .then(
        () => {
          if (failed) throw failed;
        },
        (err: unknown) => {
          throw failed ?? err;
        },
      );
  }
  verifyBackup(files: BackupFile[], o?: CallOptions): Promise<VerifyBackupReply__Output> {
    return this.unary(this.client.VerifyBackup, { files }, { timeoutMs: 900_000, ...o });
  }
  restoreData(req: RestoreDataRequest, o?: CallOptions): Promise<StepResult__Output> {
    return this.unary(this.client.RestoreData, req, { timeoutMs: 300_000, ...o });
  }

  /** The server's log: its last lines, then (follow) what it writes, until the signal fires. */
  zooKeeperLog(
    req: { lines: number; follow: boolean },
    onData: (b: Buffer) => void,
    o: CallOptions = {},
  ): Promise<void> {
    const call = this.client.ZooKeeperLog(req, this.opts({ timeoutMs: req.follow ? 7 * 86_400_000 : 30_000, ...o }));
    return this.serverStream(
      call,
      o.signal,
      'log',
      (ev) => {
        if (ev.data?.length) onData(ev.data);
        return undefined;
      },
      true,
    ).then(() => undefined);
  }

  /**
   * A server stream whose events go to `take` as they come; `take` returns the final value when an event
   * carries it. Cancelled with the signal; a stream that ends without the final value is an error.
   */
  private serverStream<Ev, R>(
    call: grpc.ClientReadableStream<Ev>,
    signal: AbortSignal | undefined,
    what: string,
    take: (ev: Ev) => R | undefined,
    endsWithoutResult = false,
  ): Promise<R> {
    return new Promise((resolve, reject) => {
      let last: R | undefined;
      const onAbort = () => call.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
      call.on('data', (ev: Ev) => {
        last = take(ev) ?? last;
      });
      call.on('error', (err) => {
        signal?.removeEventListener('abort', onAbort);
        reject(fromServiceError(err, this.name));
      });
      call.on('end', () => {
        signal?.removeEventListener('abort', onAbort);
        if (last !== undefined || endsWithoutResult) resolve(last as R);
        else reject(new ZkfError('INTERNAL', `${what} stream ended without a result`, { host: this.name }));
      });
    });
  }
}
