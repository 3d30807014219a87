// Original file: proto/zkfleet.proto

import type { BackupFile as _zkfleet_v1_BackupFile, BackupFile__Output as _zkfleet_v1_BackupFile__Output } from '../../zkfleet/v1/BackupFile';

export interface BackupHeader {
  'zookeeperVersion'?: (string);
  'myid'?: (number);
  /**
   * hex, from the snapshot's name
   */
  'snapshotZxid'?: (string);
  'files'?: (_zkfleet_v1_BackupFile)[];
}

export interface BackupHeader__Output {
  'zookeeperVersion': (string);
  'myid': (number);
  /**
   * hex, from the snapshot's name
   */
  'snapshotZxid': (string);
  'files': (_zkfleet_v1_BackupFile__Output)[];
}
