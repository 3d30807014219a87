// Original file: proto/zkfleet.proto


export interface LeaseHolder {
  /**
   * random per deploy: a renewal or release of another's lease is refused
   */
  'id'?: (string);
  'user'?: (string);
  'host'?: (string);
  'pid'?: (number);
  /**
   * ISO time the lease was first taken
   */
  'since'?: (string);
  /**
   * deploy, rollback
   */
  'command'?: (string);
}

export interface LeaseHolder__Output {
  /**
   * random per deploy: a renewal or release of another's lease is refused
   */
  'id': (string);
  'user': (string);
  'host': (string);
  'pid': (number);
  /**
   * ISO time the lease was first taken
   */
  'since': (string);
  /**
   * deploy, rollback
   */
  'command': (string);
}
