// Original file: proto/zkfleet.proto

import type { Long } from '@grpc/proto-loader';

export interface UploadArtifactReply {
  'changed'?: (boolean);
  'size'?: (number | string | Long);
  'sha256'?: (string);
}

export interface UploadArtifactReply__Output {
  'changed': (boolean);
  'size': (number);
  'sha256': (string);
}
