/**
 * Why a TLS connection failed, in words an operator can act on: one table for both sides. `whose` names
 * the certificate that was judged: "its certificate" on the side that connected, "the client certificate"
 * on the server that refused it. Matched on the error's code and message together.
 */
const REASONS: Array<[RegExp, (whose: string) => string]> = [
  [/CERT_HAS_EXPIRED|certificate has expired/i, (w) => `${w} has expired`],
  [/CERT_NOT_YET_VALID/, (w) => `${w} is not valid yet (check the clocks)`],
  [/SELF_SIGNED_CERT_IN_CHAIN/, (w) => `${w} chains to another CA (unknown or replaced CA)`],
  [/DEPTH_ZERO_SELF_SIGNED_CERT/, (w) => `${w} is self-signed`],
  [
    /CERT_SIGNATURE_FAILURE|signature failure/i,
    (w) => `${w} is not signed by this fleet's CA (another CA, same name?)`,
  ],
  [
    /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER|unable to get (local )?issuer|self.signed|(?<!alert )unknown ca/i,
    (w) => `${w} is not signed by this fleet's CA (unknown or replaced CA)`,
  ],
  [
    /alert (unknown ca|bad certificate|certificate unknown|decrypt error)/i,
    () => "the peer does not trust this side's certificate (it holds another CA)",
  ],
  [
    /peer did not return a certificate|certificate required|wrong version number|http request|unknown protocol/i,
    () => 'not an mTLS client',
  ],
  [/ECONNREFUSED/, () => 'nothing listens there (is the daemon running?)'],
  [/EHOSTUNREACH/, () => 'the host is unreachable (network down?)'],
  [/ENETUNREACH/, () => 'the network is unreachable'],
  [/ETIMEDOUT/, () => 'the connection timed out (host down or filtered?)'],
];

export function tlsReason(err: { code?: string; message?: string }, whose: string): string | undefined {
  const text = `${err.code ?? ''} ${err.message ?? ''}`;
  for (const [re, say] of REASONS) if (re.test(text)) return say(whose);
  return undefined;
}
