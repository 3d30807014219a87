// Original file: proto/zkfleet.proto


export interface ZooKeeperServerKeyReply {
  'csrPem'?: (string);
  /**
   * the certificate the server's key store holds now; "" when none
   */
  'certPem'?: (string);
}

export interface ZooKeeperServerKeyReply__Output {
  'csrPem': (string);
  /**
   * the certificate the server's key store holds now; "" when none
   */
  'certPem': (string);
}
