// Original file: proto/zkfleet.proto

import type { BackupHeader as _zkfleet_v1_BackupHeader, BackupHeader__Output as _zkfleet_v1_BackupHeader__Output } from '../../zkfleet/v1/BackupHeader';
import type { Long } from '@grpc/proto-loader';

/**
 * The first message carries the header; then each file's bytes in order; a file's last message carries its
 * sha256 (as read) and size.
 */
export interface BackupChunk {
  'header'?: (_zkfleet_v1_BackupHeader | null);
  'file'?: (string);
  'data'?: (Buffer | Uint8Array | string);
  'sha256'?: (string);
  'size'?: (number | string | Long);
}

/**
 * The first message carries the header; then each file's bytes in order; a file's last message carries its
 * sha256 (as read) and size.
 */
export interface BackupChunk__Output {
  'header': (_zkfleet_v1_BackupHeader__Output | null);
  'file': (string);
  'data': (Buffer);
  'sha256': (string);
  'size': (number);
}
