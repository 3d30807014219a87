// Original file: proto/zkfleet.proto


export interface ExecRequest {
  'argv'?: (string)[];
  /**
   * run argv[0] with `sh -c` (only when asked)
   */
  'shell'?: (boolean);
  'cwd'?: (string);
  'env'?: ({[key: string]: string});
  /**
   * 0: no timeout beyond the call's deadline
   */
  'timeoutMs'?: (number);
  /**
   * the operator, for the audit log
   */
  'requestedBy'?: (string);
}

export interface ExecRequest__Output {
  'argv': (string)[];
  /**
   * run argv[0] with `sh -c` (only when asked)
   */
  'shell': (boolean);
  'cwd': (string);
  'env': ({[key: string]: string});
  /**
   * 0: no timeout beyond the call's deadline
   */
  'timeoutMs': (number);
  /**
   * the operator, for the audit log
   */
  'requestedBy': (string);
}
