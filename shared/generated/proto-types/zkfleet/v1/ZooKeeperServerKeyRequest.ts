// Original file: proto/zkfleet.proto


export interface ZooKeeperServerKeyRequest {
  /**
   * the key and stores live in <install_dir>/zookeeper-tls (outside the trees)
   */
  'installDir'?: (string);
  /**
   * the name the request carries (the coordinator's signature sets the SANs)
   */
  'name'?: (string);
}

export interface ZooKeeperServerKeyRequest__Output {
  /**
   * the key and stores live in <install_dir>/zookeeper-tls (outside the trees)
   */
  'installDir': (string);
  /**
   * the name the request carries (the coordinator's signature sets the SANs)
   */
  'name': (string);
}
