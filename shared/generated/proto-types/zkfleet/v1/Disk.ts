// Original file: proto/zkfleet.proto

import type { Long } from '@grpc/proto-loader';

export interface Disk {
  'path'?: (string);
  'mount'?: (string);
  'totalBytes'?: (number | string | Long);
  'freeBytes'?: (number | string | Long);
}

export interface Disk__Output {
  'path': (string);
  'mount': (string);
  'totalBytes': (number);
  'freeBytes': (number);
}
