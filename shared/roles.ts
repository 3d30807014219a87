/**
 * The role of a certificate (coordinator, agent, a ZooKeeper server's, a ZooKeeper client's) is its OU; its
 * name (a host's name) is its CN. A ZooKeeper server's key is readable by the server's user, a client's by a
 * service: their roles open no agent or coordinator API.
 * Kept apart from pki.ts so that the daemons do not load the certificate-making library.
 */
export type Role = 'coordinator' | 'agent' | 'zookeeper' | 'client';
export const ROLE_OU: Record<Role, string> = {
  coordinator: 'zkfleet-coordinator',
  agent: 'zkfleet-agent',
  zookeeper: 'zkfleet-zookeeper',
  client: 'zkfleet-client',
};
