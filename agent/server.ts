import * as grpc from '@grpc/grpc-js';
import { toServiceError, ZkfError } from '../shared/errors';
import { tuneServer } from '../shared/grpc-tuning';
import { zkfleetProto, type AgentHandlers } from '../shared/proto';
import type { ArtifactChunk__Output } from '../shared/proto-types/zkfleet/v1/ArtifactChunk';
import type { BuildImageEvent } from '../shared/proto-types/zkfleet/v1/BuildImageEvent';
import type { ExecEvent } from '../shared/proto-types/zkfleet/v1/ExecEvent';
import { requireRole, serverCredentials, type PeerIdentity, type TlsMaterial } from '../shared/tls';
import { ArtifactStore } from './artifacts';
import type { Capability } from './config';
import { resolveNames, upsertDnsRecords } from './dns';
import { runExec } from './exec';
import { gatherFacts } from './facts';
import type { Host } from './host';
import { buildImage } from './image';
import { installJdk, installZooKeeper } from './install';
import type { StateFile } from './state';
import { configureZooKeeper, zooKeeperService, zooKeeperStatus } from './zookeeper';

type AuthCall = {
  getAuthContext(): { sslPeerCertificate?: import('node:tls').PeerCertificate };
  on(event: 'cancelled', cb: () => void): unknown;
  getPeer(): string;
};

export interface RpcCounter {
  count(method: string, ok: boolean, ms: number): void;
}

/**
 * The Agent service. Every handler goes through `guard`: the caller must hold the coordinator's
 * certificate (the handshake already checked that it chains to our CA), the host must have the
 * capability, errors become gRPC statuses in one place, and a cancelled call aborts the work.
 */
export function agentHandlers(host: Host, state: StateFile, store: ArtifactStore, metrics: RpcCounter): AgentHandlers {
  const guard = async <T>(
    method: string,
    call: AuthCall,
    capability: Capability | undefined,
    work: (peer: PeerIdentity, signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    const started = Date.now();
    const ac = new AbortController();
    call.on('cancelled', () => ac.abort());
    try {
      const peer = requireRole(call, 'coordinator');
      if (capability && !host.config.capabilities.includes(capability)) {
        throw new ZkfError(
          'CAPABILITY_DISABLED',
          `${method}: capability "${capability}" is not enabled on ${host.config.name}`,
        );
      }
      const out = await work(peer, ac.signal);
      metrics.count(method, true, Date.now() - started);
      return out;
    } catch (err) {
      metrics.count(method, false, Date.now() - started);
      const se = toServiceError(err);
      host.log.warn('rpc failed', { method, peer: call.getPeer(), error: se.details, code: (err as ZkfError).code });
      throw se;
    }
  };
  const unary =
    <Req, Res>(
      method: string,
      capability: Capability | undefined,
      fn: (req: Req, signal: AbortSignal) => Promise<Res>,
    ): grpc.handleUnaryCall<Req, Res> =>
    (call, cb) => {
      guard(method, call, capability, (_peer, signal) => fn(call.request, signal)).then(
        (r) => cb(null, r),
        (e: grpc.ServiceError) => cb(e),
      );
    };

  return {
    Facts: unary('Facts', undefined, (req) => gatherFacts(host, state, req)),
    HasArtifact: unary('HasArtifact', undefined, (req) => store.has(req.sha256)),
    UploadArtifact: (call, cb) => {
      guard('UploadArtifact', call, undefined, async () => {
        let expected: { sha256: string; size: number } | undefined;
        const iterator = call[Symbol.asyncIterator]() as AsyncIterator<ArtifactChunk__Output>;
        const first = await iterator.next();
        if (first.done || !first.value.sha256)
          throw new ZkfError('INVALID_ARGUMENT', 'the first upload chunk must carry sha256 and size');
        expected = { sha256: first.value.sha256, size: first.value.size };
        async function* chunks(): AsyncGenerator<Buffer> {
          if (first.value.data?.length) yield first.value.data;
          for (let n = await iterator.next(); !n.done; n = await iterator.next()) yield n.value.data;
        }
        const res = await store.put(expected, chunks());
        // A large upload leaves the heap grown; give it back now rather than whenever V8 decides.
        (globalThis as { gc?: () => void }).gc?.();
        host.log.info('artifact', {
          sha256: expected.sha256,
          name: first.value.name,
          size: res.size,
          changed: res.changed,
        });
        return { changed: res.changed, size: res.size, sha256: expected.sha256 };
      }).then(
        (r) => cb(null, r),
        (e: grpc.ServiceError) => cb(e),
      );
    },
    InstallJdk: unary('InstallJdk', 'zookeeper', (req) => installJdk(host, store, req)),
    InstallZooKeeper: unary('InstallZooKeeper', 'zookeeper', (req) => installZooKeeper(host, store, req)),
    ConfigureZooKeeper: unary('ConfigureZooKeeper', 'zookeeper', (req) => configureZooKeeper(host, state, req)),
    ZooKeeperService: unary('ZooKeeperService', 'zookeeper', (req, signal) =>
      zooKeeperService(state, req.action, req.dryRun, signal),
    ),
    ZooKeeperStatus: unary('ZooKeeperStatus', 'zookeeper', (req) => zooKeeperStatus(state, req.logTailLines)),
    UpsertDnsRecords: unary('UpsertDnsRecords', 'dns', (req, signal) => upsertDnsRecords(host, req, signal)),
    Resolve: unary('Resolve', undefined, async (req) => ({ results: await resolveNames(req.names) })),
    Exec: (call) => {
      const write = (ev: ExecEvent) => {
        if (!call.cancelled) call.write(ev);
      };
      guard('Exec', call, undefined, (peer, signal) =>
        runExec(
          host,
          {
            argv: call.request.argv,
            shell: call.request.shell,
            cwd: call.request.cwd,
            env: call.request.env ?? {},
            timeoutMs: call.request.timeoutMs,
            requestedBy: call.request.requestedBy,
            caller: peer.name,
          },
          { stdout: (c) => write({ stdout: c }), stderr: (c) => write({ stderr: c }) },
          signal,
        ),
      ).then(
        (exit) => {
          write({ exit });
          call.end();
        },
        (e: grpc.ServiceError) => call.emit('error', e),
      );
    },
    BuildImage: (call) => {
      const write = (ev: BuildImageEvent) => {
        if (!call.cancelled) call.write(ev);
      };
      guard('BuildImage', call, 'image', (_peer, signal) =>
        buildImage(host, store, call.request, (line) => write({ log: line }), signal),
      ).then(
        (result) => {
          write({ result });
          call.end();
        },
        (e: grpc.ServiceError) => call.emit('error', e),
      );
    },
  };
}

export async function startAgentServer(
  host: Host,
  state: StateFile,
  store: ArtifactStore,
  tls: TlsMaterial,
  metrics: RpcCounter,
): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 16 << 20,
    'grpc.keepalive_permit_without_calls': 1,
  });
  server.addService(zkfleetProto().zkfleet.v1.Agent.service, agentHandlers(host, state, store, metrics));
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(host.config.listen, serverCredentials(tls), (err, p) =>
      err
        ? reject(new ZkfError('UNAVAILABLE', `cannot listen on ${host.config.listen}: ${err.message}`, { cause: err }))
        : resolve(p),
    );
  });
  tuneServer(server, host.log);
  return { server, port };
}
