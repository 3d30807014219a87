// Original file: proto/zkfleet.proto


export interface ViewRequest {
  'maxEvents'?: (number);
}

export interface ViewRequest__Output {
  'maxEvents': (number);
}
