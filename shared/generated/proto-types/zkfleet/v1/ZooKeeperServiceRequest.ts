// Original file: proto/zkfleet.proto


// Original file: proto/zkfleet.proto

export const _zkfleet_v1_ZooKeeperServiceRequest_Action = {
  STATUS: 'STATUS',
  START: 'START',
  STOP: 'STOP',
  RESTART: 'RESTART',
} as const;

export type _zkfleet_v1_ZooKeeperServiceRequest_Action =
  | 'STATUS'
  | 0
  | 'START'
  | 1
  | 'STOP'
  | 2
  | 'RESTART'
  | 3

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
