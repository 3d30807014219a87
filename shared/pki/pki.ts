// x509's dependency injection needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { ZkfError } from '../errors';
import { writeFileAtomic } from '../fs-atomic';
import { HOST_NAME } from '../names';
import { certPaths, pkiPaths } from './paths';
import { ROLE_OU, type Role } from '../roles';

export { certPaths, pkiPaths } from './paths';
export { ROLE_OU, type Role };

/**
 * The fleet's PKI: one CA owned by the coordinator (roles: shared/roles.ts). Agents accept only the
 * coordinator's certificate; the coordinator server accepts reports only from agents, each for its own name.
 * New keys are ECDSA P-256: a handshake costs a tenth of RSA-2048's, which a 200-agent fan-out feels. A CA
 * made with RSA (`--key-type rsa`, or by an earlier zkfleet) keeps signing; its certificates keep working.
 */
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export type KeyType = 'ecdsa' | 'rsa';

const ALGORITHMS: Record<KeyType, RsaHashedKeyGenParams | EcKeyGenParams> = {
  ecdsa: { name: 'ECDSA', namedCurve: 'P-256' },
  rsa: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
};
const signing = (t: KeyType) => (t === 'ecdsa' ? { name: 'ECDSA', hash: 'SHA-256' } : ALGORITHMS.rsa);

export interface IssueOptions {
  name: string;
  role: Role;
  ips?: string[];
  dns?: string[];
  days?: number;
  /** For tests of expiry: shift the validity window into the past. */
  notBefore?: Date;
}

const DAY = 86_400_000;

/** A positive serial with 16 bytes of entropy. */
const serial = () => '01' + randomBytes(15).toString('hex');

async function generateKeys(type: KeyType): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHMS[type], true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privatePem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
}

/** A private key in any PEM form Node reads (PKCS#8, or PKCS#1 from an earlier zkfleet) as a signing key. */
async function importSigningKey(pem: string): Promise<{ key: CryptoKey; type: KeyType }> {
  const k = createPrivateKey(pem);
  const type: KeyType = k.asymmetricKeyType === 'ec' ? 'ecdsa' : 'rsa';
  const der = k.export({ type: 'pkcs8', format: 'der' });
  const alg = type === 'ecdsa' ? ALGORITHMS.ecdsa : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return { key: await webcrypto.subtle.importKey('pkcs8', der, alg, false, ['sign']), type };
}

export async function initCa(
  dir: string,
  options: { force?: boolean; coordinatorIps?: string[]; coordinatorDns?: string[]; keyType?: KeyType } = {},
): Promise<{ created: boolean }> {
  const p = pkiPaths(dir);
  if (!options.force && (await fs.stat(p.caKey).catch(() => undefined))) return { created: false };
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const type = options.keyType ?? 'ecdsa';
  const keys = await generateKeys(type);
  // A distinct name per CA: two fleets' CAs are never mistaken for one another.
  const name = `CN=zkfleet CA ${randomBytes(4).toString('hex')}, O=zkfleet`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name,
    notBefore: new Date(Date.now() - 5 * 60_000),
    notAfter: new Date(Date.now() + 10 * 365 * DAY),
    keys,
    signingAlgorithm: signing(type),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  await writeFileAtomic(p.caKey, await privatePem(keys.privateKey), { mode: 0o600 });
  await writeFileAtomic(p.caCert, cert.toString('pem') + '\n', { mode: 0o644 });
  const ips = options.coordinatorIps ?? ['127.0.0.1'];
  await issueCertificate(dir, {
    name: 'coordinator',
    role: 'coordinator',
    ips,
    dns: options.coordinatorDns ?? ['localhost'],
  });
  return { created: true };
}

function checkIdentity(options: IssueOptions): void {
  if (!HOST_NAME.test(options.name)) {
    throw new ZkfError(
      'INVALID_ARGUMENT',
      `certificate name "${options.name}" must be a host name (letters, digits, . _ -)`,
    );
  }
  for (const ip of options.ips ?? [])
    if (!isIP(ip)) throw new ZkfError('INVALID_ARGUMENT', `--ip ${ip} is not an IP address`);
}

async function loadCa(dir: string): Promise<{ cert: x509.X509Certificate; key: CryptoKey; type: KeyType }> {
  const p = pkiPaths(dir);
  const [caPem, caKeyPem] = await Promise.all([fs.readFile(p.caCert, 'utf8'), fs.readFile(p.caKey, 'utf8')]).catch(
    (err) => {
      throw new ZkfError('NOT_FOUND', `no CA in ${dir}: run \`coordinator pki init ${dir}\` first`, { cause: err });
    },
  );
  const { key, type } = await importSigningKey(caKeyPem);
  return { cert: new x509.X509Certificate(caPem), key, type };
}

/** Sign `publicKey` as the certificate of `options.name` in its role, with its addresses as SANs. */
async function signFor(dir: string, options: IssueOptions, publicKey: CryptoKey | x509.PublicKey): Promise<string> {
  checkIdentity(options);
  const ca = await loadCa(dir);
  const notBefore = options.notBefore ?? new Date(Date.now() - 5 * 60_000);
  const san = [
    ...(options.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const usage = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${options.name}, O=zkfleet, OU=${ROLE_OU[options.role]}`,
    issuer: ca.cert.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (options.days ?? 825) * DAY),
    publicKey,
    signingKey: ca.key,
    signingAlgorithm: signing(ca.type),
    extensions: [
      new x509.BasicConstraintsExtension(false),
      new x509.KeyUsagesExtension(usage, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      ...(san.length ? [new x509.SubjectAlternativeNameExtension(san)] : []),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return cert.toString('pem') + '\n';
}

/** A key made here and its certificate, written to the PKI directory (the coordinator's own, tests). */
export async function issueCertificate(dir: string, options: IssueOptions): Promise<{ cert: string; key: string }> {
  checkIdentity(options);
  const keys = await generateKeys('ecdsa');
  const certPem = await signFor(dir, options, keys.publicKey);
  const out = certPaths(dir, options.name, options.role);
  await fs.mkdir(path.dirname(out.cert), { recursive: true, mode: 0o700 });
  await writeFileAtomic(out.key, await privatePem(keys.privateKey), { mode: 0o600 });
  await writeFileAtomic(out.cert, certPem, { mode: 0o644 });
  return out;
}

/**
 * Sign a certificate request made on a host (its key never leaves it). The request's own subject is not
 * trusted: the name, role and addresses come from the ensemble file. Its signature must verify.
 */
export async function signRequest(dir: string, csrPem: string, options: IssueOptions): Promise<string> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (err) {
    throw new ZkfError('INVALID_ARGUMENT', `not a certificate request: ${(err as Error).message}`, { cause: err });
  }
  if (!(await csr.verify()))
    throw new ZkfError('INVALID_ARGUMENT', 'the certificate request does not carry a valid signature');
  return signFor(dir, options, csr.publicKey);
}

/**
 * On a host: its key (a new ECDSA key unless `keyPem` holds the one it has) and a request to sign it,
 * naming the host. The key stays on the host; only the request travels.
 */
export async function keyAndRequest(name: string, keyPem?: string): Promise<{ keyPem: string; csrPem: string }> {
  const keys = keyPem ? await importKeyPair(keyPem) : await generateKeys('ecdsa');
  const pem = keyPem ?? (await privatePem(keys.privateKey));
  const type: KeyType = keys.privateKey.algorithm.name === 'ECDSA' ? 'ecdsa' : 'rsa';
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${name}`,
    keys,
    signingAlgorithm: signing(type),
  });
  return { keyPem: pem, csrPem: csr.toString('pem') + '\n' };
}

async function importKeyPair(keyPem: string): Promise<CryptoKeyPair> {
  const { key: privateKey, type } = await importSigningKey(keyPem);
  const spki = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
  const alg = type === 'ecdsa' ? ALGORITHMS.ecdsa : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const publicKey = await webcrypto.subtle.importKey('spki', spki, alg, true, ['verify']);
  return { privateKey, publicKey };
}
