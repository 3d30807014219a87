// Original file: proto/zkfleet.proto

import type { Long } from '@grpc/proto-loader';

export interface BackupFile {
  /**
   * snapshot.<zxid> or log.<zxid>
   */
  'name'?: (string);
  /**
   * snapshot | log
   */
  'kind'?: (string);
  /**
   * on the coordinator, what was received
   */
  'size'?: (number | string | Long);
  'sha256'?: (string);
}

export interface BackupFile__Output {
  /**
   * snapshot.<zxid> or log.<zxid>
   */
  'name': (string);
  /**
   * snapshot | log
   */
  'kind': (string);
  /**
   * on the coordinator, what was received
   */
  'size': (number);
  'sha256': (string);
}
