// Original file: proto/zkfleet.proto

import type { Long } from '@grpc/proto-loader';

export interface HasArtifactReply {
  'present'?: (boolean);
  'size'?: (number | string | Long);
}

export interface HasArtifactReply__Output {
  'present': (boolean);
  'size': (number);
}
