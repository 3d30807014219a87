// Original file: proto/zkfleet.proto


export interface BuildImageResult {
  'changed'?: (boolean);
  'description'?: (string);
  'builder'?: (string);
  'digest'?: (string);
  'contextHash'?: (string);
}

export interface BuildImageResult__Output {
  'changed': (boolean);
  'description': (string);
  'builder': (string);
  'digest': (string);
  'contextHash': (string);
}
