// Original file: proto/zkfleet.proto


export interface ZooKeeperLogRequest {
  /**
   * the last lines to send first
   */
  'lines'?: (number);
  /**
   * then keep sending what is written, until the call is cancelled
   */
  'follow'?: (boolean);
}

export interface ZooKeeperLogRequest__Output {
  /**
   * the last lines to send first
   */
  'lines': (number);
  /**
   * then keep sending what is written, until the call is cancelled
   */
  'follow': (boolean);
}
