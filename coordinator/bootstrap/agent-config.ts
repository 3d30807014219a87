import type { Ensemble, HostSpec } from '../ensemble/file';
import { FILES } from './probe';

/**
 * /etc/zkfleet/agent.yaml for a host, from its entry in the ensemble file: its name, where it listens,
 * the capabilities its roles need (and exec, unless the file switches it off), where it reports.
 */
export function renderAgentConfig(e: Ensemble, h: HostSpec): string {
  const port = h.agent.slice(h.agent.lastIndexOf(':') + 1);
  const caps = [...h.roles, ...(e.spec.agents.exec ? ['exec'] : [])];
  const lines = [
    `# Written by \`coordinator bootstrap\` from the ensemble "${e.spec.name}"; the next bootstrap replaces edits.`,
    `name: ${h.name}`,
    `listen: ${h.address}:${port}`,
    `tls: { ca: ${FILES.ca}, cert: ${FILES.cert}, key: ${FILES.key} }`,
    `capabilities: [${caps.join(', ')}]`,
  ];
  const c = e.spec.coordinator;
  if (c) lines.push(`coordinator: { address: ${c.address}, reportIntervalMs: ${e.spec.agents.reportIntervalMs} }`);
  const metrics = e.spec.agents.metricsPort;
  if (metrics) lines.push(`metrics: { listen: ${h.address}:${metrics} }`);
  // named answers on the host's own address; the agent checks the new serial there.
  if (h.roles.includes('dns')) lines.push(`dns: { server: ${h.address} }`);
  if (h.roles.includes('image') && e.spec.image?.registryAuth)
    lines.push(`image: { registryAuth: ${e.spec.image.registryAuth} }`);
  return lines.join('\n') + '\n';
}
