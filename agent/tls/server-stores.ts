import { createPublicKey, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ZkfError } from '../../shared/errors';
import { readFileOr, writeFileAtomic } from '../../shared/fs-atomic';
import type {
  ConfigureZooKeeperRequest__Output,
  ZooKeeperServerKeyReply,
  ZooKeeperServerKeyRequest__Output,
} from '../../shared/generated/wire';
import { TLS_STORES, type ClientTlsMode, type QuorumStage } from '../../shared/zookeeper/tls';
import type { Host } from '../daemon/host';
import { required } from '../daemon/request-guard';
import type { Account } from '../zookeeper/user';

/** The server's TLS key: the agent's own, root's 0600 beside its state; the server reads it from its key store. */
function keyFile(host: Host): string {
  return path.join(host.config.stateDir, 'zookeeper-tls.key');
}

/** Where the PEM key and trust stores live: `<installDir>/zookeeper-tls`, outside the trees an upgrade swaps. */
export function storesDir(host: Host, installDir: string): string {
  return host.path(path.posix.join(installDir, TLS_STORES.dir));
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g;

/**
 * The key (made once, here; it never leaves the host), a request to sign it, and the certificate the key store
 * holds now, so the coordinator can tell whether it must sign again.
 */
export async function zooKeeperServerKey(
  host: Host,
  req: ZooKeeperServerKeyRequest__Output,
): Promise<ZooKeeperServerKeyReply> {
  // The certificate library is loaded when a key is asked for, not by every agent at start.
  const { keyAndRequest } = require('../../shared/pki/pki') as typeof import('../../shared/pki/pki');
  const file = keyFile(host);
  const existing = await readFileOr(file);
  const { keyPem, csrPem } = await keyAndRequest(required(req.name, 'name'), existing);
  if (existing === undefined) await writeFileAtomic(file, keyPem, { mode: 0o600 });
  const store = await readFileOr(
    path.join(storesDir(host, required(req.installDir, 'installDir')), TLS_STORES.keyStore),
  );
  return { csrPem, certPem: (store?.match(CERT_BLOCK) ?? []).join('') };
}

/** The stores a configure call writes: the key store (key, then certificate) and the trust store (the CA). */
export interface Stores {
  dir: string;
  keyStore: string;
  trustStore: string;
  notAfter: string;
  stage: QuorumStage;
  client: ClientTlsMode;
  securePort: number;
}

/** The stores for a request with TLS, checked: the certificate is for this host's key. Undefined: no TLS. */
export async function renderStores(host: Host, req: ConfigureZooKeeperRequest__Output): Promise<Stores | undefined> {
  const stage = (req.quorumTls || 'quorum_plain') as QuorumStage;
  const client = (req.clientTls || 'client_tls_off') as ClientTlsMode;
  if (stage === 'quorum_plain' && client === 'client_tls_off') return undefined;
  const securePort = client === 'client_tls_off' ? 0 : required(req.secureClientPort, 'secureClientPort');
  const dir = storesDir(host, required(req.installDir, 'installDir'));
  const key = await readFileOr(keyFile(host));
  // A dry run comes before any key or certificate is made: it shows the settings and the stores as changes.
  if (req.dryRun && (!req.tlsCertPem || key === undefined)) {
    return { dir, keyStore: '(not made in a dry run)', trustStore: '', notAfter: '', stage, client, securePort };
  }
  const certPem = required(req.tlsCertPem, 'tlsCertPem');
  const caPem = required(req.tlsCaPem, 'tlsCaPem');
  if (key === undefined) {
    throw new ZkfError('NOT_FOUND', 'no ZooKeeper TLS key on this host yet: the coordinator asks for one first');
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (err) {
    throw new ZkfError('INVALID_ARGUMENT', `tlsCertPem is not a certificate: ${(err as Error).message}`);
  }
  const der = (k: ReturnType<typeof createPublicKey>) => k.export({ type: 'spki', format: 'der' });
  if (!der(cert.publicKey).equals(der(createPublicKey(key)))) {
    throw new ZkfError('INVALID_ARGUMENT', "tlsCertPem is not for this host's ZooKeeper key");
  }
  return {
    dir,
    keyStore: key.trimEnd() + '\n' + certPem.trimEnd() + '\n',
    trustStore: caPem.trimEnd() + '\n',
    notAfter: new Date(cert.validTo).toISOString(),
    stage,
    client,
    securePort,
  };
}

/** The stores' text as one part of what a server runs with ('' without TLS): a new certificate is a restart. */
export function storesPart(s: Pick<Stores, 'keyStore' | 'trustStore'> | undefined): string {
  return s ? s.keyStore + s.trustStore : '';
}

/** The stores on disk now (a status, a supervisor's start), for the same comparison. */
export async function storesOnDisk(dir: string | undefined): Promise<string> {
  if (!dir) return '';
  const [k, t] = await Promise.all(
    [TLS_STORES.keyStore, TLS_STORES.trustStore].map((f) => readFileOr(path.join(dir, f))),
  );
  return k === undefined || t === undefined ? '' : k + t;
}

/** Write what differs; the directory 0700 and the files 0600, the server's user's only. Whether anything changed. */
export async function writeStores(s: Stores, account: Account): Promise<boolean> {
  await fs.mkdir(s.dir, { recursive: true, mode: 0o700 });
  await fs.chmod(s.dir, 0o700);
  await fs.chown(s.dir, account.uid, account.gid);
  let changed = false;
  for (const [name, text] of [
    [TLS_STORES.keyStore, s.keyStore],
    [TLS_STORES.trustStore, s.trustStore],
  ]) {
    const file = path.join(s.dir, name);
    if ((await readFileOr(file)) !== text) {
      await writeFileAtomic(file, text, { mode: 0o600 });
      changed = true;
    }
    await fs.chown(file, account.uid, account.gid);
  }
  return changed;
}
