// Original file: proto/zkfleet.proto


export interface FactsRequest {
  /**
   * logical paths (under the agent's root); free space and myid are read there
   */
  'dataDir'?: (string);
  'dataLogDir'?: (string);
  'zookeeperInstallDir'?: (string);
  'jdkInstallDir'?: (string);
}

export interface FactsRequest__Output {
  /**
   * logical paths (under the agent's root); free space and myid are read there
   */
  'dataDir': (string);
  'dataLogDir': (string);
  'zookeeperInstallDir': (string);
  'jdkInstallDir': (string);
}
