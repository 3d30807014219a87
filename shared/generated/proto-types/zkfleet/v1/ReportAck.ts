// Original file: proto/zkfleet.proto

import type { Long } from '@grpc/proto-loader';

export interface ReportAck {
  'receivedAtMs'?: (number | string | Long);
}

export interface ReportAck__Output {
  'receivedAtMs': (number);
}
