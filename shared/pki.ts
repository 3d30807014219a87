import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import forge from 'node-forge';
import { certPaths, pkiPaths } from './pki-paths';

export { certPaths, pkiPaths } from './pki-paths';
import { ZkfError } from './errors';
import { writeFileAtomic } from './fs-atomic';
import { HOST_NAME } from './names';

import { ROLE_OU, type Role } from './roles';

/**
 * The fleet's PKI: one CA owned by the coordinator (roles: shared/roles.ts). Agents accept only the
 * coordinator's certificate; the coordinator server accepts reports only from agents, each for its own name.
 */
export { ROLE_OU, type Role };

export interface IssueOptions {
  name: string;
  role: Role;
  ips?: string[];
  dns?: string[];
  days?: number;
  /** For tests of expiry: shift the validity window into the past. */
  notBefore?: Date;
}

function newKeyPair(): { privatePem: string; forgeKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Node's native generator: forge's pure-JS RSA keygen takes seconds.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  return { privatePem: privateKey, forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

function serial(): string {
  // Positive, 16 bytes of entropy.
  return '01' + randomBytes(15).toString('hex');
}

export async function initCa(
  dir: string,
  options: { force?: boolean; coordinatorIps?: string[]; coordinatorDns?: string[] } = {},
): Promise<{ created: boolean }> {
  const p = pkiPaths(dir);
  if (!options.force && (await fs.stat(p.caKey).catch(() => undefined))) return { created: false };
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 5 * 60_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 86_400_000);
  // A distinct name per CA: two fleets' CAs are never mistaken for one another.
  const attrs = [
    { name: 'commonName', value: `zkfleet CA ${randomBytes(4).toString('hex')}` },
    { name: 'organizationName', value: 'zkfleet' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.forgeKey, forge.md.sha256.create());
  await writeFileAtomic(p.caKey, keys.privatePem, { mode: 0o600 });
  await writeFileAtomic(p.caCert, forge.pki.certificateToPem(cert), { mode: 0o644 });
  await issueCertificate(dir, {
    name: 'coordinator',
    role: 'coordinator',
    ips: options.coordinatorIps ?? ['127.0.0.1'],
    dns: options.coordinatorDns ?? ['localhost'],
  });
  return { created: true };
}

export async function issueCertificate(dir: string, options: IssueOptions): Promise<{ cert: string; key: string }> {
  if (!HOST_NAME.test(options.name)) {
    throw new ZkfError(
      'INVALID_ARGUMENT',
      `certificate name "${options.name}" must be a host name (letters, digits, . _ -)`,
    );
  }
  for (const ip of options.ips ?? [])
    if (!isIP(ip)) throw new ZkfError('INVALID_ARGUMENT', `--ip ${ip} is not an IP address`);
  const p = pkiPaths(dir);
  const [caPem, caKeyPem] = await Promise.all([fs.readFile(p.caCert, 'utf8'), fs.readFile(p.caKey, 'utf8')]).catch(
    (err) => {
      throw new ZkfError('NOT_FOUND', `no CA in ${dir}: run \`coordinator pki init ${dir}\` first`, { cause: err });
    },
  );
  const caCert = forge.pki.certificateFromPem(caPem);
  const caKey = forge.pki.privateKeyFromPem(caKeyPem);
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  const notBefore = options.notBefore ?? new Date(Date.now() - 5 * 60_000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + (options.days ?? 825) * 86_400_000);
  cert.setSubject([
    { name: 'commonName', value: options.name },
    { name: 'organizationName', value: 'zkfleet' },
    { shortName: 'OU', value: ROLE_OU[options.role] },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  const altNames = [
    ...(options.dns ?? []).map((value) => ({ type: 2, value })),
    ...(options.ips ?? []).map((ip) => ({ type: 7, ip })),
  ];
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    ...(altNames.length ? [{ name: 'subjectAltName', altNames }] : []),
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  const out = certPaths(dir, options.name);
  await fs.mkdir(path.dirname(out.cert), { recursive: true, mode: 0o700 });
  await writeFileAtomic(out.key, keys.privatePem, { mode: 0o600 });
  await writeFileAtomic(out.cert, forge.pki.certificateToPem(cert), { mode: 0o644 });
  return out;
}
