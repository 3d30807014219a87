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
  /**
   * First chunk only, optional: the directory a tarball will be installed in (/usr/java, /opt). The agent
   * unpacks it there as the bytes arrive, and the install that follows takes that tree when the digest
   * matched and every entry passed the install's checks.
   */
  'unpackInto'?: (string);
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
  /**
   * First chunk only, optional: the directory a tarball will be installed in (/usr/java, /opt). The agent
   * unpacks it there as the bytes arrive, and the install that follows takes that tree when the digest
   * matched and every entry passed the install's checks.
   */
  'unpackInto': (string);
}
