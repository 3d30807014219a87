// Original file: proto/zkfleet.proto

import type { HealthReport as _zkfleet_v1_HealthReport, HealthReport__Output as _zkfleet_v1_HealthReport__Output } from '../../zkfleet/v1/HealthReport';
import type { Long } from '@grpc/proto-loader';

export interface HostView {
  'name'?: (string);
  'receivedAtMs'?: (number | string | Long);
  'stale'?: (boolean);
  'report'?: (_zkfleet_v1_HealthReport | null);
}

export interface HostView__Output {
  'name': (string);
  'receivedAtMs': (number);
  'stale': (boolean);
  'report': (_zkfleet_v1_HealthReport__Output | null);
}
