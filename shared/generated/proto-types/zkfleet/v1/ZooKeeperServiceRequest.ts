// Original file: proto/zkfleet.proto


// Original file: proto/zkfleet.proto

/**
 * RETIRE: the server was removed from the ensemble. It is stopped and never started again (not by the
 * supervisor, not at boot, not by START); its dataDir and dataLogDir are moved aside, never deleted. A later
 * ConfigureZooKeeper with another myid (the host added back) ends it.
 */
export const _zkfleet_v1_ZooKeeperServiceRequest_Action = {
  STATUS: 'STATUS',
  START: 'START',
  STOP: 'STOP',
  RESTART: 'RESTART',
  RETIRE: 'RETIRE',
} as const;

/**
 * RETIRE: the server was removed from the ensemble. It is stopped and never started again (not by the
 * supervisor, not at boot, not by START); its dataDir and dataLogDir are moved aside, never deleted. A later
 * ConfigureZooKeeper with another myid (the host added back) ends it.
 */
export type _zkfleet_v1_ZooKeeperServiceRequest_Action =
  | 'STATUS'
  | 0
  | 'START'
  | 1
  | 'STOP'
  | 2
  | 'RESTART'
  | 3
  | 'RETIRE'
  | 4

/**
 * RETIRE: the server was removed from the ensemble. It is stopped and never started again (not by the
 * supervisor, not at boot, not by START); its dataDir and dataLogDir are moved aside, never deleted. A later
 * ConfigureZooKeeper with another myid (the host added back) ends it.
 */
export type _zkfleet_v1_ZooKeeperServiceRequest_Action__Output = typeof _zkfleet_v1_ZooKeeperServiceRequest_Action[keyof typeof _zkfleet_v1_ZooKeeperServiceRequest_Action]

export interface ZooKeeperServiceRequest {
  'action'?: (_zkfleet_v1_ZooKeeperServiceRequest_Action);
  'dryRun'?: (boolean);
  /**
   * START/RESTART: the trees staged for this server become current first (its turn in an upgrade's roll).
   */
  'activate'?: (boolean);
  /**
   * RESTART: the trees this server ran before its last change become current again (a rollback).
   */
  'rollback'?: (boolean);
}

export interface ZooKeeperServiceRequest__Output {
  'action': (_zkfleet_v1_ZooKeeperServiceRequest_Action__Output);
  'dryRun': (boolean);
  /**
   * START/RESTART: the trees staged for this server become current first (its turn in an upgrade's roll).
   */
  'activate': (boolean);
  /**
   * RESTART: the trees this server ran before its last change become current again (a rollback).
   */
  'rollback': (boolean);
}
