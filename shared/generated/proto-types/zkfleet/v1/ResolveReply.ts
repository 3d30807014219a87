// Original file: proto/zkfleet.proto

import type { Resolution as _zkfleet_v1_Resolution, Resolution__Output as _zkfleet_v1_Resolution__Output } from '../../zkfleet/v1/Resolution';

export interface ResolveReply {
  'results'?: (_zkfleet_v1_Resolution)[];
}

export interface ResolveReply__Output {
  'results': (_zkfleet_v1_Resolution__Output)[];
}
