import * as grpc from '@grpc/grpc-js';
import { ZkfError } from '../../shared/errors';
import { tuneServer } from '../../shared/grpc-tuning';
import { zkfleetProto, type AgentHandlers } from '../../shared/proto';
import type { ArtifactChunk__Output } from '../../shared/generated/wire';
import { serverCredentials, type TlsMaterial } from '../../shared/pki/tls';
import { ArtifactStore } from '../artifacts/store';
import { resolveNames, upsertDnsRecords } from '../dns/zone';
import { runExec } from '../exec/audited-exec';
import { gatherFacts } from '../health/facts';
import type { Host } from './host';
import { streamBackup, verifyBackup } from '../backup/take';
import { buildImage } from '../image/build';
import { restoreData } from '../backup/restore';
import { installJdk, installZooKeeper } from '../artifacts/install';
import { Leases } from './lease';
import { releaseMemory } from './memory';
import { Prestage } from '../artifacts/prestage';
import { RequestGuard, type RpcCounter } from './request-guard';
import type { StateFile } from './state';
import { configureZooKeeper } from '../zookeeper/configure';
import { streamLog } from '../zookeeper/log';
import { zooKeeperService } from '../zookeeper/service';
import { zooKeeperStatus } from '../zookeeper/status';
import { zooKeeperServerKey } from '../tls/server-stores';

export type { RpcCounter };

export interface AgentParts {
  host: Host;
  state: StateFile;
  store: ArtifactStore;
  metrics: RpcCounter;
}

/** The Agent service: every handler goes through the one request guard (agent/daemon/request-guard.ts). */
export function agentHandlers({ host, state, store, metrics }: AgentParts): AgentHandlers {
  const g = new RequestGuard(host, metrics);
  const leases = new Leases(host);
  return {
    Facts: g.unary('Facts', undefined, (req) => gatherFacts(host, state, req)),
    HasArtifact: g.unary('HasArtifact', undefined, (req) => store.has(req.sha256)),
    UploadArtifact: (call, cb) => {
      g.run('UploadArtifact', call, undefined, () => receiveUpload(host, store, call)).then(
        (r) => cb(null, r),
        (e: grpc.ServiceError) => cb(e),
      );
    },
    InstallJdk: g.unary('InstallJdk', 'zookeeper', (req, signal) => installJdk(host, store, state, req, signal)),
    InstallZooKeeper: g.unary('InstallZooKeeper', 'zookeeper', (req, signal) =>
      installZooKeeper(host, store, state, req, signal),
    ),
    ConfigureZooKeeper: g.unary('ConfigureZooKeeper', 'zookeeper', (req) => configureZooKeeper(host, state, req)),
    ZooKeeperServerKey: g.unary('ZooKeeperServerKey', 'zookeeper', (req) => zooKeeperServerKey(host, req)),
    ZooKeeperService: g.unary('ZooKeeperService', 'zookeeper', (req, signal) =>
      zooKeeperService(host, state, req, signal),
    ),
    ZooKeeperStatus: g.unary('ZooKeeperStatus', 'zookeeper', (req) => zooKeeperStatus(state, req.logTailLines)),
    UpsertDnsRecords: g.unary('UpsertDnsRecords', 'dns', (req, signal) => upsertDnsRecords(host, req, signal)),
    Resolve: g.unary('Resolve', undefined, async (req) => ({ results: await resolveNames(req.names) })),
    Exec: g.serverStream('Exec', undefined, async (req, emit, signal, peer) => ({
      exit: await runExec(host, { ...req, env: req.env ?? {}, caller: peer.name }, emit, signal),
    })),
    ZooKeeperLog: g.serverStream('ZooKeeperLog', 'zookeeper', (req, emit, signal) =>
      streamLog(state, req, emit, signal),
    ),
    Lease: g.unary('Lease', undefined, async (req, _signal, peer) => leases.handle(req, peer.name)),
    BackupData: g.serverStream('BackupData', 'zookeeper', (_req, emit, signal) => streamBackup(state, emit, signal)),
    VerifyBackup: g.unary('VerifyBackup', 'zookeeper', (req, signal) => verifyBackup(state, store, req.files, signal)),
    RestoreData: g.unary('RestoreData', 'zookeeper', (req) => restoreData(host, state, store, req)),
    BuildImage: g.serverStream('BuildImage', 'image', async (req, emit, signal) => ({
      result: await buildImage(host, store, req, (line) => emit({ log: line }), signal),
    })),
  };
}

/** The first chunk names the artifact (sha256, size); the digest is verified before anything is kept. */
async function receiveUpload(host: Host, store: ArtifactStore, call: AsyncIterable<ArtifactChunk__Output>) {
  const iterator = call[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done || !first.value.sha256) {
    throw new ZkfError('INVALID_ARGUMENT', 'the first upload chunk must carry sha256 and size');
  }
  const expected = { sha256: first.value.sha256, size: first.value.size };
  const prestage = prestageFor(host, first.value);
  async function* chunks(): AsyncGenerator<Buffer> {
    if (first.value.data?.length) yield first.value.data;
    for (let n = await iterator.next(); !n.done; n = await iterator.next()) yield n.value.data;
  }
  async function* teed(): AsyncGenerator<Buffer> {
    for await (const c of chunks()) {
      await prestage?.write(c);
      yield c;
    }
  }
  const res = await store.put(expected, teed()).catch(async (err: unknown) => {
    await prestage?.abort();
    throw err;
  });
  await prestage?.finish();
  releaseMemory();
  host.log.info('artifact', { sha256: expected.sha256, name: first.value.name, size: res.size, changed: res.changed });
  return { changed: res.changed, size: res.size, sha256: expected.sha256 };
}

/** An upload that names where it will be installed is unpacked there as it arrives (zookeeper hosts only). */
function prestageFor(host: Host, first: ArtifactChunk__Output): Prestage | undefined {
  if (!first.unpackInto || !host.config.capabilities.includes('zookeeper')) return undefined;
  const parentDir = host.path(first.unpackInto);
  return new Prestage(ArtifactStore.checkDigest(first.sha256), parentDir, first.name || 'the artifact', host.log);
}

export async function startAgentServer(
  parts: AgentParts,
  tls: TlsMaterial,
): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 16 << 20,
    'grpc.keepalive_permit_without_calls': 1,
  });
  server.addService(zkfleetProto().zkfleet.v1.Agent.service, agentHandlers(parts));
  const listen = parts.host.config.listen;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(listen, serverCredentials(tls), (err, p) =>
      err
        ? reject(new ZkfError('UNAVAILABLE', `cannot listen on ${listen}: ${err.message}`, { cause: err }))
        : resolve(p),
    );
  });
  tuneServer(server, parts.host.log);
  return { server, port };
}
