// Original file: proto/zkfleet.proto

/**
 * What a server is doing, as operators read it in status, events and metrics. The value names are the
 * words shown to them (lower case on purpose: one vocabulary from the wire to the screen).
 */
export const ZooKeeperMode = {
  /**
   * no answer yet (a status that could not be taken)
   */
  unknown: 'unknown',
  leader: 'leader',
  follower: 'follower',
  observer: 'observer',
  standalone: 'standalone',
  /**
   * the process listens but is not in a quorum (an election, or cut off)
   */
  not_serving: 'not_serving',
  /**
   * configured, but no server process
   */
  down: 'down',
  /**
   * zkfleet has not configured ZooKeeper on this host
   */
  not_configured: 'not_configured',
} as const;

/**
 * What a server is doing, as operators read it in status, events and metrics. The value names are the
 * words shown to them (lower case on purpose: one vocabulary from the wire to the screen).
 */
export type ZooKeeperMode =
  /**
   * no answer yet (a status that could not be taken)
   */
  | 'unknown'
  | 0
  | 'leader'
  | 1
  | 'follower'
  | 2
  | 'observer'
  | 3
  | 'standalone'
  | 4
  /**
   * the process listens but is not in a quorum (an election, or cut off)
   */
  | 'not_serving'
  | 5
  /**
   * configured, but no server process
   */
  | 'down'
  | 6
  /**
   * zkfleet has not configured ZooKeeper on this host
   */
  | 'not_configured'
  | 7

/**
 * What a server is doing, as operators read it in status, events and metrics. The value names are the
 * words shown to them (lower case on purpose: one vocabulary from the wire to the screen).
 */
export type ZooKeeperMode__Output = typeof ZooKeeperMode[keyof typeof ZooKeeperMode]
