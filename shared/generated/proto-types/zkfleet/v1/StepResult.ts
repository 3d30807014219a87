// Original file: proto/zkfleet.proto


export interface StepResult {
  'changed'?: (boolean);
  /**
   * "unpacked jdk-17, linked /usr/java/jdk", "unchanged", ...
   */
  'description'?: (string);
  /**
   * zoo.cfg or myid changed under a running server
   */
  'restartNeeded'?: (boolean);
  /**
   * InstallJdk: `java -version`; InstallZooKeeper: the ZooKeeper version
   */
  'version'?: (string);
  /**
   * the directory or file the step manages
   */
  'path'?: (string);
}

export interface StepResult__Output {
  'changed': (boolean);
  /**
   * "unpacked jdk-17, linked /usr/java/jdk", "unchanged", ...
   */
  'description': (string);
  /**
   * zoo.cfg or myid changed under a running server
   */
  'restartNeeded': (boolean);
  /**
   * InstallJdk: `java -version`; InstallZooKeeper: the ZooKeeper version
   */
  'version': (string);
  /**
   * the directory or file the step manages
   */
  'path': (string);
}
