// Original file: proto/zkfleet.proto


export interface LogChunk {
  'data'?: (Buffer | Uint8Array | string);
  /**
   * the log file it comes from (it changes when the log rotates)
   */
  'file'?: (string);
}

export interface LogChunk__Output {
  'data': (Buffer);
  /**
   * the log file it comes from (it changes when the log rotates)
   */
  'file': (string);
}
