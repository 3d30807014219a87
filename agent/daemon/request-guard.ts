import type * as grpc from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import { toServiceError, ZkfError } from '../../shared/errors';
import { roomOrGone } from '../../shared/room';
import { requireRole, type PeerIdentity } from '../../shared/pki/tls';
import type { Capability } from './config';
import type { Host } from './host';

interface AuthCall {
  getAuthContext(): { sslPeerCertificate?: PeerCertificate };
  on(event: 'cancelled', cb: () => void): unknown;
  getPeer(): string;
}

export interface RpcCounter {
  count(method: string, ok: boolean, ms: number): void;
}

type Work<T> = (peer: PeerIdentity, signal: AbortSignal) => Promise<T>;

/**
 * The agent's single request guard: the caller must hold the coordinator's certificate (the handshake
 * already checked that it chains to our CA), the host must have the capability, a cancelled call aborts
 * the work, every call is counted, and errors become gRPC statuses here and nowhere else.
 */
export class RequestGuard {
  constructor(
    private readonly host: Host,
    private readonly metrics: RpcCounter,
  ) {}

  async run<T>(method: string, call: AuthCall, capability: Capability | undefined, work: Work<T>): Promise<T> {
    const started = Date.now();
    const ac = new AbortController();
    call.on('cancelled', () => ac.abort());
    try {
      const peer = requireRole(call, 'coordinator');
      if (capability && !this.host.config.capabilities.includes(capability)) {
        const name = this.host.config.name;
        throw new ZkfError('CAPABILITY_DISABLED', `${method}: capability "${capability}" is not enabled on ${name}`);
      }
      const out = await work(peer, ac.signal);
      this.metrics.count(method, true, Date.now() - started);
      return out;
    } catch (err) {
      this.metrics.count(method, false, Date.now() - started);
      const se = toServiceError(err);
      const code = (err as ZkfError).code;
      this.host.log.warn('rpc failed', { method, peer: call.getPeer(), error: se.details, code });
      throw se;
    }
  }

  unary<Req, Res>(
    method: string,
    capability: Capability | undefined,
    fn: (req: Req, signal: AbortSignal, peer: PeerIdentity) => Promise<Res>,
  ): grpc.handleUnaryCall<Req, Res> {
    return (call, cb) => {
      this.run(method, call, capability, (peer, signal) => fn(call.request, signal, peer)).then(
        (r) => cb(null, r),
        (e: grpc.ServiceError) => cb(e),
      );
    };
  }

  /**
   * A server stream whose work emits events as it goes and may end with one final event. `emit` resolves
   * once the stream can take more: a large stream (a backup) awaits it and never buffers ahead of the caller.
   */
  serverStream<Req, Ev>(
    method: string,
    capability: Capability | undefined,
    fn: (req: Req, emit: (ev: Ev) => Promise<void>, signal: AbortSignal, peer: PeerIdentity) => Promise<Ev | undefined>,
  ): grpc.handleServerStreamingCall<Req, Ev> {
    return (call) => {
      const emit = (ev: Ev): Promise<void> => {
        if (call.cancelled || call.write(ev)) return Promise.resolve();
        return roomOrGone(call, 'cancelled');
      };
      this.run(method, call, capability, (peer, signal) => fn(call.request, emit, signal, peer)).then(
        (last) => {
          if (last !== undefined) void emit(last);
          call.end();
        },
        (e: grpc.ServiceError) => call.emit('error', e),
      );
    };
  }
}

/** A field the coordinator must send: refused when empty or zero, never replaced by a default here. */
export function required<T extends string | number>(value: T | undefined | null, field: string): T {
  if (value === undefined || value === null || value === '' || value === 0) {
    throw new ZkfError('INVALID_ARGUMENT', `${field} is required`);
  }
  return value;
}
