import type { Artifact } from './artifacts';
import type { Machine } from './machine';
import type { Suite } from './tree';

// The sandbox's shapes and the runbook's hosts: what sandbox.ts makes and the tests and helpers read.

/** A host of the sandbox, as the runbook names it. */
export interface SandboxHost {
  name: string;
  octet: number;
  roles: Array<'zookeeper' | 'dns' | 'image'>;
  /** A host with an agent that the ensemble file does not list yet (a membership change adds it). */
  spare?: boolean;
  /** Boots another Debian suite than the machine's (bullseye: the runbook's older generation of hosts). */
  suite?: Suite;
}

export const RUNBOOK_HOSTS: SandboxHost[] = [
  { name: 'hdss7-11', octet: 11, roles: ['zookeeper', 'dns'] },
  { name: 'hdss7-12', octet: 12, roles: ['zookeeper'] },
  { name: 'hdss7-21', octet: 21, roles: ['zookeeper'] },
];

/** Spare ZooKeeper hosts (`up --spare N`): hdss7-31, hdss7-32, ... */
export function spareHosts(n: number): SandboxHost[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `hdss7-${31 + i}`,
    octet: 31 + i,
    roles: ['zookeeper'],
    spare: true,
  }));
}

/** The ops host of the runbook's section 3: registry and image builds. */
export const OPS_HOST: SandboxHost = { name: 'hdss7-200', octet: 200, roles: ['image'] };

export interface SandboxHostState extends SandboxHost {
  ns: string;
  address: string;
  agent: string;
  veth: string;
  /** The host's `/`, readable from this side. */
  root: string;
  /** The agent's state and config on the host, as seen from this side. */
  stateDir: string;
  agentConfig: string;
  machine: Machine;
}

export interface SandboxState {
  dir: string;
  prefix: string;
  subnet: number;
  bridge: string;
  gateway: string;
  hosts: SandboxHostState[];
  ensembleFile: string;
  /** Every host with an agent, spares included: what `coordinator bootstrap` is given. */
  fleetFile: string;
  pkiDir: string;
  artifacts: { jdk: Artifact; zookeeper: Artifact; jmxAgent?: Artifact };
  image?: ImageState;
  coordinatorAddress: string;
  serveConfig: string;
  reportIntervalMs: number;
  ssh: { key: string; knownHosts: string; config: string };
  release: string;
}

export interface ImageState {
  registry: string;
  from: string;
  tag: string;
  /** On the ops host: the test's own registry login (for checking what was pushed). */
  authFile: string;
  username: string;
  password: string;
  /** On the ops host: the 0600 credentials file the agent reads. */
  hostAuthFile: string;
}

export const ZONE = 'zq.com';
