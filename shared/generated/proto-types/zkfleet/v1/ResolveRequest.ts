// Original file: proto/zkfleet.proto


export interface ResolveRequest {
  'names'?: (string)[];
}

export interface ResolveRequest__Output {
  'names': (string)[];
}
