import { ClientTls, type ClientTls__Output } from '../generated/proto-types/zkfleet/v1/ClientTls';
import { QuorumTls, type QuorumTls__Output } from '../generated/proto-types/zkfleet/v1/QuorumTls';

/**
 * Quorum TLS, the rules: the Administrator's Guide's migration with no downtime is three rolls — portUnification
 * with the TLS settings (the ports accept both), sslQuorum (peers dial TLS), portUnification off (plaintext
 * refused) — and the same in reverse to turn it off. Every server of a roll runs the same stage or its neighbour,
 * and neighbours always understand each other: that is why there is no shortcut.
 */
export type QuorumStage = QuorumTls__Output;

/** The stages in the order turning TLS on goes through them (the proto's enum: one vocabulary). */
export const QUORUM_STAGES: readonly QuorumStage[] = Object.values(QuorumTls).filter(
  (v): v is QuorumStage => typeof v === 'string',
);

export const QUORUM_TLS_ON: QuorumStage = 'quorum_tls_only';
export const QUORUM_TLS_OFF: QuorumStage = 'quorum_plain';

/** What each stage means, as the progress prints it. */
export const STAGE_WORDS: Record<QuorumStage, string> = {
  quorum_plain: 'plaintext quorum (no TLS settings)',
  quorum_unified: 'portUnification on with the TLS settings: the ports accept TLS and plaintext, peers dial plaintext',
  quorum_tls_unified: 'sslQuorum on: peers dial TLS, the ports still accept plaintext',
  quorum_tls_only: 'portUnification off: TLS only, a plaintext peer is refused',
};

/** The stages from `from` (excluded) to `to` (included), one roll each; [] when there. */
export function quorumStagePath(from: QuorumStage, to: QuorumStage): QuorumStage[] {
  const a = QUORUM_STAGES.indexOf(from);
  const b = QUORUM_STAGES.indexOf(to);
  const step = Math.sign(b - a);
  const out: QuorumStage[] = [];
  for (let i = a + step; step && i !== b + step; i += step) out.push(QUORUM_STAGES[i]);
  return out;
}

/** The file names of the stores under the TLS directory (`<installDir>/zookeeper-tls`). */
export const TLS_STORES = { dir: 'zookeeper-tls', keyStore: 'keystore.pem', trustStore: 'truststore.pem' } as const;

export const NETTY_FACTORY = 'org.apache.zookeeper.server.NettyServerCnxnFactory';

/**
 * zoo.cfg keys of a stage. PEM stores (readable from 3.5.5): the key unencrypted in a file only the server's user
 * can read, so there is no password to keep (a password beside the key would guard nothing more). Hostname
 * verification stays on (ZooKeeper's default): the certificates carry every address and name the servers use.
 */
export function quorumTlsPairs(stage: QuorumStage, dir: string): Array<[string, string]> {
  if (stage === 'quorum_plain') return [];
  return [
    ['serverCnxnFactory', NETTY_FACTORY],
    ['ssl.quorum.keyStore.location', `${dir}/${TLS_STORES.keyStore}`],
    ['ssl.quorum.keyStore.type', 'PEM'],
    ['ssl.quorum.trustStore.location', `${dir}/${TLS_STORES.trustStore}`],
    ['ssl.quorum.trustStore.type', 'PEM'],
    ['sslQuorum', String(stage !== 'quorum_unified')],
    ['portUnification', String(stage !== 'quorum_tls_only')],
  ];
}

/** Client TLS as the wire says it; the file's words are the part after `client_tls_` (off, both, only). */
export type ClientTlsMode = ClientTls__Output;
export const CLIENT_TLS_MODES: readonly ClientTlsMode[] = Object.values(ClientTls).filter(
  (v): v is ClientTlsMode => typeof v === 'string',
);
export const clientTlsMode = (word: string): ClientTlsMode => `client_tls_${word}` as ClientTlsMode;

/**
 * zoo.cfg keys of client TLS: secureClientPort with the same stores as the quorum (the client side's `ssl.*`),
 * clients' certificates required (ZooKeeper's default `ssl.clientAuth=need`), Netty.
 */
export function clientTlsPairs(mode: ClientTlsMode, securePort: number, dir: string): Array<[string, string]> {
  if (mode === 'client_tls_off') return [];
  return [
    ['serverCnxnFactory', NETTY_FACTORY],
    ['secureClientPort', String(securePort)],
    ['ssl.keyStore.location', `${dir}/${TLS_STORES.keyStore}`],
    ['ssl.keyStore.type', 'PEM'],
    ['ssl.trustStore.location', `${dir}/${TLS_STORES.trustStore}`],
    ['ssl.trustStore.type', 'PEM'],
  ];
}

/**
 * What a Java client (a Dubbo service) needs for the secure port: ZooKeeper's Netty client socket, secure on, a
 * PEM key store (its key and certificate from `coordinator pki client`) and zkfleet's CA as the trust store.
 */
export function clientJvmFlags(keyStore: string, ca: string): string[] {
  return [
    '-Dzookeeper.client.secure=true',
    '-Dzookeeper.clientCnxnSocket=org.apache.zookeeper.ClientCnxnSocketNetty',
    `-Dzookeeper.ssl.keyStore.location=${keyStore}`,
    '-Dzookeeper.ssl.keyStore.type=PEM',
    `-Dzookeeper.ssl.trustStore.location=${ca}`,
    '-Dzookeeper.ssl.trustStore.type=PEM',
  ];
}

/** With client TLS `only` the plain port listens on the loopback address alone: the agent's four-letter words. */
export const LOOPBACK = '127.0.0.1';

/** The keys quorumTlsPairs and clientTlsPairs write: zkfleet's, not `extra`'s. */
export const TLS_KEYS = [
  'secureClientPort',
  'secureClientPortAddress',
  'ssl.keyStore.location',
  'ssl.keyStore.type',
  'ssl.keyStore.password',
  'ssl.trustStore.location',
  'ssl.trustStore.type',
  'ssl.trustStore.password',
  'ssl.quorum.keyStore.location',
  'ssl.quorum.keyStore.type',
  'ssl.quorum.keyStore.password',
  'ssl.quorum.trustStore.location',
  'ssl.quorum.trustStore.type',
  'ssl.quorum.trustStore.password',
  'sslQuorum',
  'portUnification',
];
