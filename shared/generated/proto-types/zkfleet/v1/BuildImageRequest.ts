// Original file: proto/zkfleet.proto


export interface BuildImageRequest {
  'from'?: (string);
  'tag'?: (string);
  'timezone'?: (string);
  /**
   * a stored artifact
   */
  'jmxAgentSha256'?: (string);
  /**
   * jmx_javaagent-0.3.1.jar
   */
  'jmxAgentName'?: (string);
  /**
   * config.yml content
   */
  'jmxConfig'?: (string);
  'jmxPort'?: (number);
  'insecure'?: (boolean);
  'dryRun'?: (boolean);
  /**
   * credentials file on the ops host (0600 JSON: username, password)
   */
  'registryAuth'?: (string);
}

export interface BuildImageRequest__Output {
  'from': (string);
  'tag': (string);
  'timezone': (string);
  /**
   * a stored artifact
   */
  'jmxAgentSha256': (string);
  /**
   * jmx_javaagent-0.3.1.jar
   */
  'jmxAgentName': (string);
  /**
   * config.yml content
   */
  'jmxConfig': (string);
  'jmxPort': (number);
  'insecure': (boolean);
  'dryRun': (boolean);
  /**
   * credentials file on the ops host (0600 JSON: username, password)
   */
  'registryAuth': (string);
}
