// Original file: proto/zkfleet.proto


export interface ZooKeeperServer {
  'id'?: (number);
  'host'?: (string);
  'quorumPort'?: (number);
  'electionPort'?: (number);
  'observer'?: (boolean);
}

export interface ZooKeeperServer__Output {
  'id': (number);
  'host': (string);
  'quorumPort': (number);
  'electionPort': (number);
  'observer': (boolean);
}
