// Original file: proto/zkfleet.proto


export interface Resolution {
  'name'?: (string);
  'addresses'?: (string)[];
  'error'?: (string);
}

export interface Resolution__Output {
  'name': (string);
  'addresses': (string)[];
  'error': (string);
}
