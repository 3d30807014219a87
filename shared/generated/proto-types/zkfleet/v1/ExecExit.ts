// Original file: proto/zkfleet.proto


export interface ExecExit {
  /**
   * -1 when killed by a signal
   */
  'code'?: (number);
  'signal'?: (string);
  'timedOut'?: (boolean);
  'durationMs'?: (number);
}

export interface ExecExit__Output {
  /**
   * -1 when killed by a signal
   */
  'code': (number);
  'signal': (string);
  'timedOut': (boolean);
  'durationMs': (number);
}
