// Original file: proto/zkfleet.proto

import type { BackupFile as _zkfleet_v1_BackupFile, BackupFile__Output as _zkfleet_v1_BackupFile__Output } from '../../zkfleet/v1/BackupFile';

export interface VerifyBackupRequest {
  'files'?: (_zkfleet_v1_BackupFile)[];
}

export interface VerifyBackupRequest__Output {
  'files': (_zkfleet_v1_BackupFile__Output)[];
}
