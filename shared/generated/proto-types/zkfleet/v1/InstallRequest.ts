// Original file: proto/zkfleet.proto


export interface InstallRequest {
  /**
   * a stored artifact
   */
  'sha256'?: (string);
  /**
   * usr/java or /opt
   */
  'installDir'?: (string);
  /**
   * jdk, zookeeper
   */
  'linkName'?: (string);
  'dryRun'?: (boolean);
}

export interface InstallRequest__Output {
  /**
   * a stored artifact
   */
  'sha256': (string);
  /**
   * usr/java or /opt
   */
  'installDir': (string);
  /**
   * jdk, zookeeper
   */
  'linkName': (string);
  'dryRun': (boolean);
}
