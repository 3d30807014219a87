import * as grpc from '@grpc/grpc-js';
import { promises as fs } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { ZkfError } from '../errors';
import { splitHostPort } from '../names';
import { ROLE_OU, type Role } from '../roles';
import { tlsReason } from './tls-reasons';

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}
export interface TlsMaterial {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

// Every file is read before any error is thrown, and all that failed are named in the order ca, cert, key:
// an operator fixes them in one go, and the message does not depend on which read happened to fail first.
export async function loadTls(files: TlsFiles): Promise<TlsMaterial> {
  const kinds = ['ca', 'cert', 'key'] as const;
  const reads = await Promise.allSettled(kinds.map((k) => fs.readFile(files[k])));
  const failed = kinds.flatMap((k, i) => {
    const r = reads[i];
    if (r.status === 'fulfilled') return [];
    const err = r.reason as NodeJS.ErrnoException;
    return [{ text: `cannot read TLS ${k} ${files[k]}: ${err.code ?? err.message}`, err }];
  });
  if (failed.length > 0) {
    throw new ZkfError('CONFIG_INVALID', failed.map((f) => f.text).join('; '), { cause: failed[0].err });
  }
  const [ca, cert, key] = reads.map((r) => (r as PromiseFulfilledResult<Buffer>).value);
  return { ca, cert, key };
}

export interface PeerIdentity {
  role: Role | undefined;
  name: string;
}

export function identityOf(
  cert: { subject?: { CN?: string | string[]; OU?: string | string[] } } | undefined,
): PeerIdentity | undefined {
  if (!cert?.subject) return undefined;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
  const ou = first(cert.subject.OU);
  const role = (Object.keys(ROLE_OU) as Role[]).find((r) => ROLE_OU[r] === ou);
  return { role, name: first(cert.subject.CN) };
}

/** The verified client certificate of a call (the handshake already checked it chains to our CA). */
export function peerOf(call: {
  getAuthContext(): { sslPeerCertificate?: tls.PeerCertificate };
}): PeerIdentity | undefined {
  return identityOf(call.getAuthContext().sslPeerCertificate);
}

export function requireRole(
  call: { getAuthContext(): { sslPeerCertificate?: tls.PeerCertificate } },
  role: Role,
): PeerIdentity {
  const peer = peerOf(call);
  if (!peer || peer.role !== role) {
    throw new ZkfError(
      'PERMISSION_DENIED',
      `only a ${role} certificate may call this; the client presented ${describePeer(peer)}`,
    );
  }
  return peer;
}

function describePeer(peer: PeerIdentity | undefined): string {
  return peer ? `${peer.role ?? 'an unknown'} certificate "${peer.name}"` : 'no certificate';
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
  // grpc-js passes an IP target as the TLS server name, and Node warns (DEP0123) on every such connection,
  // in the coordinator and in an agent's health reports alike. The identity check here is ours (IP SAN,
  // role, host name), so the warning is noise for an operator.
  process.noDeprecation = true;
  return grpc.credentials.createFromSecureContext(secureContextOf(m), {
    checkServerIdentity: (hostname, cert) =>
      tls.checkServerIdentity(hostname, cert) ?? peerIdentityProblem(cert, expect),
  });
}

const secureContexts = new WeakMap<TlsMaterial, tls.SecureContext>();

/**
 * One secure context per key and certificate, shared by every connection made with them: building one
 * parses the key and the certificates again (~1 ms each; a quarter of the coordinator's CPU in a 50-host exec).
 */
function secureContextOf(m: TlsMaterial): tls.SecureContext {
  let ctx = secureContexts.get(m);
  if (!ctx) secureContexts.set(m, (ctx = tls.createSecureContext({ ca: m.ca, key: m.key, cert: m.cert })));
  return ctx;
}

/**
 * Why an mTLS connection to `address` fails, in words an operator can act on. gRPC only says "failed to
 * connect"; this makes one plain TLS handshake with the same material and reads the real reason: our
 * verification of the peer, or the peer's alert refusing our certificate.
 */
export function diagnoseTls(
  address: string,
  m: TlsMaterial,
  expect: { role: Role; name?: string },
  timeoutMs = 3000,
): Promise<string> {
  const target = splitHostPort(address);
  if (!target) return Promise.resolve(`${address} is not host:port`);
  const who = `${expect.name ?? expect.role} at ${address}`;
  return new Promise((resolve) => {
    let settled = false;
    const done = (s: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(s);
    };
    const socket = tls.connect({
      host: target.host,
      port: target.port,
      ca: m.ca,
      cert: m.cert,
      key: m.key,
      ALPNProtocols: ['h2'],
      ...(isIP(target.host) ? {} : { servername: target.host }),
      checkServerIdentity: (hostname, cert) =>
        peerIdentityProblem(cert, expect) ?? tls.checkServerIdentity(hostname, cert),
    });
    socket.setTimeout(timeoutMs, () => done(`${who}: ${tlsReason({ code: 'ETIMEDOUT' }, 'its certificate')}`));
    // TLS 1.3: the server checks our certificate after the handshake. A server that accepted it speaks
    // first (HTTP/2 SETTINGS); one that refused it sends an alert or just closes.
    socket.on('secureConnect', () => {
      setTimeout(() => done(`${who}: the TLS handshake succeeds, but the gRPC service did not answer`), 1000);
    });
    socket.on('data', () => done(`${who}: TLS and mTLS succeed; the gRPC call itself failed (see the agent's log)`));
    socket.on('close', () => {
      const own = ownCertificateProblem(m, expect.role === 'agent' ? 'coordinator' : 'agent');
      done(`${who} refused this side's certificate: ${own ?? 'it closed the connection after the handshake'}`);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => done(`${who}${handshakeErrorReason(err)}`));
  });
}

const ALERT =
  /alert (certificate expired|unknown ca|bad certificate|certificate unknown|certificate required|revoked)/i;

function handshakeErrorReason(err: NodeJS.ErrnoException): string {
  const alert = ALERT.exec(err.message);
  if (alert) return ` refused this side's certificate (TLS alert: ${alert[1]})`;
  return `: ${tlsReason(err, 'its certificate') ?? err.message}`;
}

/** Why a peer's certificate is not the one expected (role, and name for an agent), or undefined. */
function peerIdentityProblem(cert: tls.PeerCertificate, expect: { role: Role; name?: string }): Error | undefined {
  const id = identityOf(cert);
  if (id?.role !== expect.role) {
    const presented = `${id?.role ?? 'non-zkfleet'} certificate "${id?.name}"`;
    return new Error(`it presents a ${presented}, not a ${expect.role} certificate`);
  }
  if (expect.name && id.name !== expect.name) {
    return new Error(`it presents the certificate of "${id.name}": a certificate for another host`);
  }
  return undefined;
}

/** What is wrong with our own certificate, seen from here (the peer does not say why it closed). */
function ownCertificateProblem(m: TlsMaterial, role: Role): string | undefined {
  const own = new X509Certificate(m.cert);
  const ca = new X509Certificate(m.ca);
  if (new Date(own.validTo).getTime() < Date.now())
    return `this side's certificate expired on ${new Date(own.validTo).toISOString()}`;
  if (!own.verify(ca.publicKey))
    return (
      "this side's certificate is not signed by the CA it trusts " +
      '(another or a replaced CA: the peer trusts only its own)'
    );
  if (!own.subject.includes(`OU=${ROLE_OU[role]}`)) return `this side's certificate is not a ${role} certificate`;
  return undefined;
}

/** A daemon's own certificate: refuse to start with a certificate that is expired or not yet valid. */
export function checkOwnCertificate(m: TlsMaterial): { name: string; role: Role | undefined; validTo: Date } {
  const x = new X509Certificate(m.cert);
  const validTo = new Date(x.validTo);
  const validFrom = new Date(x.validFrom);
  const cn = /CN=([^\n,]+)/.exec(x.subject)?.[1] ?? '';
  const ou = /OU=([^\n,]+)/.exec(x.subject)?.[1] ?? '';
  const role = (Object.keys(ROLE_OU) as Role[]).find((r) => ROLE_OU[r] === ou);
  if (validTo.getTime() < Date.now())
    throw new ZkfError(
      'CONFIG_INVALID',
      `the certificate of "${cn}" expired on ${validTo.toISOString()}: ` +
        `issue a new one with \`coordinator pki issue ${cn}\``,
    );
  if (validFrom.getTime() > Date.now())
    throw new ZkfError(
      'CONFIG_INVALID',
      `the certificate of "${cn}" is not valid before ${validFrom.toISOString()} (check the clock)`,
    );
  return { name: cn, role, validTo };
}
