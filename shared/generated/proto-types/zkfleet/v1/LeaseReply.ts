// Original file: proto/zkfleet.proto

import type { LeaseHolder as _zkfleet_v1_LeaseHolder, LeaseHolder__Output as _zkfleet_v1_LeaseHolder__Output } from '../../zkfleet/v1/LeaseHolder';

export interface LeaseReply {
  /**
   * the holder a break_lock took it from
   */
  'broken'?: (_zkfleet_v1_LeaseHolder | null);
  'ttlMs'?: (number);
}

export interface LeaseReply__Output {
  /**
   * the holder a break_lock took it from
   */
  'broken': (_zkfleet_v1_LeaseHolder__Output | null);
  'ttlMs': (number);
}
