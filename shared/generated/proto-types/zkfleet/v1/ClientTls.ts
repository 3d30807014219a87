// Original file: proto/zkfleet.proto

/**
 * Client TLS as the file says it (zookeeper.tls.client: off | both | only).
 */
export const ClientTls = {
  client_tls_off: 'client_tls_off',
  /**
   * secureClientPort beside the plain port, while applications move
   */
  client_tls_both: 'client_tls_both',
  /**
   * the plain port closed to the network
   */
  client_tls_only: 'client_tls_only',
} as const;

/**
 * Client TLS as the file says it (zookeeper.tls.client: off | both | only).
 */
export type ClientTls =
  | 'client_tls_off'
  | 0
  /**
   * secureClientPort beside the plain port, while applications move
   */
  | 'client_tls_both'
  | 1
  /**
   * the plain port closed to the network
   */
  | 'client_tls_only'
  | 2

/**
 * Client TLS as the file says it (zookeeper.tls.client: off | both | only).
 */
export type ClientTls__Output = typeof ClientTls[keyof typeof ClientTls]
