/**
 * The role of a certificate (coordinator, agent, or a ZooKeeper server's for TLS) is its OU; its name (a host's
 * name) is its CN. A ZooKeeper server's key is readable by the server's user: its role opens no agent or
 * coordinator API.
 * Kept apart from pki.ts so that the daemons do not load the certificate-making library.
 */
export type Role = 'coordinator' | 'agent' | 'zookeeper';
export const ROLE_OU: Record<Role, string> = {
  coordinator: 'zkfleet-coordinator',
  agent: 'zkfleet-agent',
  zookeeper: 'zkfleet-zookeeper',
};
