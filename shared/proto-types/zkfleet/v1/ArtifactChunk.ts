// Original file: proto/zkfleet.proto

import type { Long } from '@grpc/proto-loader';

export interface ArtifactChunk {
  /**
   * first chunk only
   */
  'sha256'?: (string);
  /**
   * first chunk only
   */
  'size'?: (number | string | Long);
  /**
   * first chunk only, for logs
   */
  'name'?: (string);
  'data'?: (Buffer | Uint8Array | string);
}

export interface ArtifactChunk__Output {
  /**
   * first chunk only
   */
  'sha256': (string);
  /**
   * first chunk only
   */
  'size': (number);
  /**
   * first chunk only, for logs
   */
  'name': (string);
  'data': (Buffer);
}
