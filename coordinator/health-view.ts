import type { Disk__Output } from '../shared/proto-types/zkfleet/v1/Disk';
import type { ZooKeeperStatus__Output } from '../shared/proto-types/zkfleet/v1/ZooKeeperStatus';
import type { Ensemble } from './ensemble';

export interface HostView { receivedAt: number; stale: boolean; zookeeper: ZooKeeperStatus__Output; drift: string[]; disks: Disk__Output[] }
export interface ServerView { hosts: Record<string, HostView> }

/** The coordinator server's latest reports, when the ensemble file names one and it answers. */
export async function fetchServerView(_e: Ensemble): Promise<ServerView | undefined> {
  return undefined;
}
