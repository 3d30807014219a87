/**
 * The role of a certificate (coordinator or agent) is its OU; its name (an agent's host name) is its CN.
 * Kept apart from pki.ts so that the daemons do not load the certificate-making library.
 */
export type Role = 'coordinator' | 'agent';
export const ROLE_OU: Record<Role, string> = { coordinator: 'zkfleet-coordinator', agent: 'zkfleet-agent' };
