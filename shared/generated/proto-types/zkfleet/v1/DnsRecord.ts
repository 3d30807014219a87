// Original file: proto/zkfleet.proto


export interface DnsRecord {
  /**
   * relative to the zone (zk1) or absolute (zk1.zq.com.)
   */
  'name'?: (string);
  /**
   * IPv4
   */
  'address'?: (string);
}

export interface DnsRecord__Output {
  /**
   * relative to the zone (zk1) or absolute (zk1.zq.com.)
   */
  'name': (string);
  /**
   * IPv4
   */
  'address': (string);
}
