// Original file: proto/zkfleet.proto

import type { BuildImageResult as _zkfleet_v1_BuildImageResult, BuildImageResult__Output as _zkfleet_v1_BuildImageResult__Output } from '../../zkfleet/v1/BuildImageResult';

export interface BuildImageEvent {
  'log'?: (string);
  'result'?: (_zkfleet_v1_BuildImageResult | null);
  'event'?: "log"|"result";
}

export interface BuildImageEvent__Output {
  'log'?: (string);
  'result'?: (_zkfleet_v1_BuildImageResult__Output | null);
  'event'?: "log"|"result";
}
