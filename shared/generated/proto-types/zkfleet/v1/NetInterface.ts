// Original file: proto/zkfleet.proto


export interface NetInterface {
  'name'?: (string);
  'addresses'?: (string)[];
}

export interface NetInterface__Output {
  'name': (string);
  'addresses': (string)[];
}
