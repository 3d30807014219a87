// Original file: proto/zkfleet.proto

/**
 * The stages of turning quorum TLS on (in this order) or off (in reverse), one roll each. The value names are the
 * words the progress and status show.
 */
export const QuorumTls = {
  /**
   * no TLS on the quorum and election ports
   */
  quorum_plain: 'quorum_plain',
  /**
   * portUnification: the ports accept TLS and plaintext; peers still dial plaintext
   */
  quorum_unified: 'quorum_unified',
  /**
   * sslQuorum: peers dial TLS; the ports still accept plaintext
   */
  quorum_tls_unified: 'quorum_tls_unified',
  /**
   * portUnification off: a plaintext peer is refused
   */
  quorum_tls_only: 'quorum_tls_only',
} as const;

/**
 * The stages of turning quorum TLS on (in this order) or off (in reverse), one roll each. The value names are the
 * words the progress and status show.
 */
export type QuorumTls =
  /**
   * no TLS on the quorum and election ports
   */
  | 'quorum_plain'
  | 0
  /**
   * portUnification: the ports accept TLS and plaintext; peers still dial plaintext
   */
  | 'quorum_unified'
  | 1
  /**
   * sslQuorum: peers dial TLS; the ports still accept plaintext
   */
  | 'quorum_tls_unified'
  | 2
  /**
   * portUnification off: a plaintext peer is refused
   */
  | 'quorum_tls_only'
  | 3

/**
 * The stages of turning quorum TLS on (in this order) or off (in reverse), one roll each. The value names are the
 * words the progress and status show.
 */
export type QuorumTls__Output = typeof QuorumTls[keyof typeof QuorumTls]
