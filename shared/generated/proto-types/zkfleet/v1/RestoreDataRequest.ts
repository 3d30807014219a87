// Original file: proto/zkfleet.proto

import type { BackupFile as _zkfleet_v1_BackupFile, BackupFile__Output as _zkfleet_v1_BackupFile__Output } from '../../zkfleet/v1/BackupFile';

export interface RestoreDataRequest {
  /**
   * a re-run with the same backup leaves a host already restored as it is
   */
  'backupId'?: (string);
  'files'?: (_zkfleet_v1_BackupFile)[];
  'dryRun'?: (boolean);
}

export interface RestoreDataRequest__Output {
  /**
   * a re-run with the same backup leaves a host already restored as it is
   */
  'backupId': (string);
  'files': (_zkfleet_v1_BackupFile__Output)[];
  'dryRun': (boolean);
}
