// Original file: proto/zkfleet.proto


export interface ZooKeeperStatusRequest {
  'logTailLines'?: (number);
}

export interface ZooKeeperStatusRequest__Output {
  'logTailLines': (number);
}
