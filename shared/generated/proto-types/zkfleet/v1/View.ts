// Original file: proto/zkfleet.proto

import type { HostView as _zkfleet_v1_HostView, HostView__Output as _zkfleet_v1_HostView__Output } from '../../zkfleet/v1/HostView';
import type { Event as _zkfleet_v1_Event, Event__Output as _zkfleet_v1_Event__Output } from '../../zkfleet/v1/Event';
import type { Long } from '@grpc/proto-loader';

export interface View {
  'hosts'?: (_zkfleet_v1_HostView)[];
  'events'?: (_zkfleet_v1_Event)[];
  'nowMs'?: (number | string | Long);
}

export interface View__Output {
  'hosts': (_zkfleet_v1_HostView__Output)[];
  'events': (_zkfleet_v1_Event__Output)[];
  'nowMs': (number);
}
