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

/** The keys quorumTlsPairs writes: zkfleet's, not `extra`'s. */
export const QUORUM_TLS_KEYS = [
  'ssl.quorum.keyStore.location',
  'ssl.quorum.keyStore.type',
  'ssl.quorum.keyStore.password',
  'ssl.quorum.trustStore.location',
  'ssl.quorum.trustStore.type',
  'ssl.quorum.trustStore.password',
  'sslQuorum',
  'portUnification',
];
