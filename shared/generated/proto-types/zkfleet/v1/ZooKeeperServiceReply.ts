// Original file: proto/zkfleet.proto

import type { StepResult as _zkfleet_v1_StepResult, StepResult__Output as _zkfleet_v1_StepResult__Output } from '../../zkfleet/v1/StepResult';
import type { ZooKeeperStatus as _zkfleet_v1_ZooKeeperStatus, ZooKeeperStatus__Output as _zkfleet_v1_ZooKeeperStatus__Output } from '../../zkfleet/v1/ZooKeeperStatus';

export interface ZooKeeperServiceReply {
  'result'?: (_zkfleet_v1_StepResult | null);
  'status'?: (_zkfleet_v1_ZooKeeperStatus | null);
}

export interface ZooKeeperServiceReply__Output {
  'result': (_zkfleet_v1_StepResult__Output | null);
  'status': (_zkfleet_v1_ZooKeeperStatus__Output | null);
}
