import * as grpc from '@grpc/grpc-js';
import { promises as fs } from 'node:fs';
import tls from 'node:tls';
import { ZkfError } from './errors';
import { ROLE_OU, type Role } from './roles';

export interface TlsFiles { ca: string; cert: string; key: string }
export interface TlsMaterial { ca: Buffer; cert: Buffer; key: Buffer }

export async function loadTls(files: TlsFiles): Promise<TlsMaterial> {
  const read = (what: string, p: string) => fs.readFile(p).catch((err: NodeJS.ErrnoException) => {
    throw new ZkfError('CONFIG_INVALID', `cannot read TLS ${what} ${p}: ${err.code ?? err.message}`, { cause: err });
  });
  const [ca, cert, key] = await Promise.all([read('ca', files.ca), read('cert', files.cert), read('key', files.key)]);
  return { ca, cert, key };
}

export interface PeerIdentity { role: Role | undefined; name: string }

export function identityOf(cert: { subject?: { CN?: string | string[]; OU?: string | string[] } } | undefined): PeerIdentity | undefined {
  if (!cert?.subject) return undefined;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
  const ou = first(cert.subject.OU);
  const role = (Object.keys(ROLE_OU) as Role[]).find((r) => ROLE_OU[r] === ou);
  return { role, name: first(cert.subject.CN) };
}

/** The verified client certificate of a call (the handshake already checked it chains to our CA). */
export function peerOf(call: { getAuthContext(): { sslPeerCertificate?: tls.PeerCertificate } }): PeerIdentity | undefined {
  return identityOf(call.getAuthContext().sslPeerCertificate);
}

export function requireRole(call: { getAuthContext(): { sslPeerCertificate?: tls.PeerCertificate } }, role: Role): PeerIdentity {
  const peer = peerOf(call);
  if (!peer || peer.role !== role) {
    throw new ZkfError('PERMISSION_DENIED', `only a ${role} certificate may call this; the client presented ${peer ? `${peer.role ?? 'an unknown'} certificate "${peer.name}"` : 'no certificate'}`);
  }
  return peer;
}

/** Server side: mTLS, client certificate required and verified against the CA during the handshake. */
export function serverCredentials(m: TlsMaterial): grpc.ServerCredentials {
  return grpc.ServerCredentials.createSsl(m.ca, [{ private_key: m.key, cert_chain: m.cert }], true);
}

/**
 * Client side: mTLS, and the server must present a certificate of the expected role (and name, for an
 * agent): a certificate for another host name is refused even if it chains to our CA.
 */
export function clientCredentials(m: TlsMaterial, expect: { role: Role; name?: string }): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(m.ca, m.key, m.cert, {
    checkServerIdentity(hostname, cert) {
      const err = tls.checkServerIdentity(hostname, cert);
      if (err) return err;
      const id = identityOf(cert);
      if (id?.role !== expect.role) return new Error(`the server at ${hostname} presented a ${id?.role ?? 'non-zkfleet'} certificate "${id?.name}", expected a ${expect.role} certificate`);
      if (expect.name && id.name !== expect.name) return new Error(`the server at ${hostname} presented the certificate of "${id.name}", expected "${expect.name}" (certificate for another host)`);
      return undefined;
    },
  });
}
