// Original file: proto/zkfleet.proto

import type { ExecExit as _zkfleet_v1_ExecExit, ExecExit__Output as _zkfleet_v1_ExecExit__Output } from '../../zkfleet/v1/ExecExit';

export interface ExecEvent {
  'stdout'?: (Buffer | Uint8Array | string);
  'stderr'?: (Buffer | Uint8Array | string);
  'exit'?: (_zkfleet_v1_ExecExit | null);
  'event'?: "stdout"|"stderr"|"exit";
}

export interface ExecEvent__Output {
  'stdout'?: (Buffer);
  'stderr'?: (Buffer);
  'exit'?: (_zkfleet_v1_ExecExit__Output | null);
  'event'?: "stdout"|"stderr"|"exit";
}
