// Original file: proto/zkfleet.proto

import type { Long } from '@grpc/proto-loader';

export interface Event {
  'atMs'?: (number | string | Long);
  'host'?: (string);
  /**
   * up, stale, mode, drift, disk
   */
  'kind'?: (string);
  'detail'?: (string);
}

export interface Event__Output {
  'atMs': (number);
  'host': (string);
  /**
   * up, stale, mode, drift, disk
   */
  'kind': (string);
  'detail': (string);
}
