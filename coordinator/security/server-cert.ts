import { X509Certificate } from 'node:crypto';

/** A ZooKeeper server's certificate is made again this long before it expires (as the agents' are). */
export const RENEW_WITHIN_DAYS = 21;
const DAY = 86_400_000;

export interface WantedCert {
  caPem: string;
  ips: string[];
  dns: string[];
  now: Date;
}

/**
 * Why a server's current certificate must be made again, or undefined when it is good: none yet, not one
 * certificate, not issued by zkfleet's CA (the CA was made again), an address or name missing from its SANs (a
 * renamed server), or expiring within three weeks.
 */
export function serverCertProblem(certPem: string, want: WantedCert): string | undefined {
  if (!certPem.trim()) return 'no certificate yet';
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return 'the certificate in its key store cannot be read';
  }
  if (!cert.checkIssued(new X509Certificate(want.caPem)) || !cert.verify(new X509Certificate(want.caPem).publicKey))
    return "not issued by this zkfleet's CA";
  const sans = new Set((cert.subjectAltName ?? '').split(/,\s*/));
  const missing = [...want.ips.map((ip) => `IP Address:${ip}`), ...want.dns.map((d) => `DNS:${d}`)].filter(
    (s) => !sans.has(s),
  );
  if (missing.length) return `its names lack ${missing.map((m) => m.replace(/^[^:]*:/, '')).join(', ')}`;
  const expires = new Date(cert.validTo);
  if (expires.getTime() - want.now.getTime() < RENEW_WITHIN_DAYS * DAY) {
    return `it expires ${expires.toISOString()} (within ${RENEW_WITHIN_DAYS} days)`;
  }
  return undefined;
}
