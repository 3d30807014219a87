// Original file: proto/zkfleet.proto

import type { LeaseHolder as _zkfleet_v1_LeaseHolder, LeaseHolder__Output as _zkfleet_v1_LeaseHolder__Output } from '../../zkfleet/v1/LeaseHolder';

// Original file: proto/zkfleet.proto

export const _zkfleet_v1_LeaseRequest_Op = {
  ACQUIRE: 'ACQUIRE',
  RENEW: 'RENEW',
  RELEASE: 'RELEASE',
} as const;

export type _zkfleet_v1_LeaseRequest_Op =
  | 'ACQUIRE'
  | 0
  | 'RENEW'
  | 1
  | 'RELEASE'
  | 2

export type _zkfleet_v1_LeaseRequest_Op__Output = typeof _zkfleet_v1_LeaseRequest_Op[keyof typeof _zkfleet_v1_LeaseRequest_Op]

export interface LeaseRequest {
  'op'?: (_zkfleet_v1_LeaseRequest_Op);
  'holder'?: (_zkfleet_v1_LeaseHolder | null);
  'ttlMs'?: (number);
  /**
   * ACQUIRE: take it even from a live holder (audited)
   */
  'breakLock'?: (boolean);
}

export interface LeaseRequest__Output {
  'op': (_zkfleet_v1_LeaseRequest_Op__Output);
  'holder': (_zkfleet_v1_LeaseHolder__Output | null);
  'ttlMs': (number);
  /**
   * ACQUIRE: take it even from a live holder (audited)
   */
  'breakLock': (boolean);
}
