// Original file: proto/zkfleet.proto

import type { DnsRecord as _zkfleet_v1_DnsRecord, DnsRecord__Output as _zkfleet_v1_DnsRecord__Output } from '../../zkfleet/v1/DnsRecord';

export interface UpsertDnsRecordsRequest {
  'zone'?: (string);
  'zoneFile'?: (string);
  'records'?: (_zkfleet_v1_DnsRecord)[];
  'dryRun'?: (boolean);
  /**
   * A records to take out (names as in DnsRecord): the servers removed from the ensemble.
   */
  'remove'?: (string)[];
}

export interface UpsertDnsRecordsRequest__Output {
  'zone': (string);
  'zoneFile': (string);
  'records': (_zkfleet_v1_DnsRecord__Output)[];
  'dryRun': (boolean);
  /**
   * A records to take out (names as in DnsRecord): the servers removed from the ensemble.
   */
  'remove': (string)[];
}
