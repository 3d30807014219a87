import { z } from 'zod';
import { absolutePath, durationMs, hostPort, loadYamlFile } from '../shared/config-file';

export const CAPABILITIES = ['zookeeper', 'dns', 'image', 'exec'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** The agent's config file (`agent --config FILE`). Reference: README.md, "Agent configuration". */
export const AgentConfigSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a host name; it must match the CN of the agent certificate'),
  listen: hostPort,
  tls: z.strictObject({ ca: absolutePath, cert: absolutePath, key: absolutePath }),
  root: absolutePath.default('/'),
  stateDir: absolutePath.default('/var/lib/zkfleet-agent'),
  capabilities: z.array(z.enum(CAPABILITIES)).default(['zookeeper', 'exec']),
  coordinator: z
    .strictObject({
      address: hostPort,
      reportIntervalMs: durationMs.default(10_000),
      /** Logical paths whose free space is reported (default: the runbook's dataDir and dataLogDir). */
      watchPaths: z.array(absolutePath).default(['/data/zookeeper/data', '/data/zookeeper/logs']),
    })
    .optional(),
  /** Prometheus text format over plain HTTP: the agent's own process figures and the RPCs it served. */
  metrics: z.strictObject({ listen: hostPort }).optional(),
  dns: z
    .strictObject({
      server: z.string().default('127.0.0.1'),
      port: z.number().int().min(1).max(65535).default(53),
      rndc: z.array(z.string()).default(['rndc']),
      namedPidFile: absolutePath.optional(),
      checkzone: z.string().default('named-checkzone'),
      answerTimeoutMs: durationMs.default(10_000),
    })
    .prefault({}),
  image: z
    .strictObject({
      registryAuth: absolutePath.optional(),
      workDir: absolutePath.default('/data/dockerfile'),
      env: z.record(z.string(), z.string()).default({}),
    })
    .prefault({}),
  zookeeper: z
    .strictObject({
      /** Extra flags for every server JVM; the default shortens the election back-off after an outage. */
      jvmFlags: z.string().default('-Dzookeeper.fastleader.maxNotificationInterval=5000'),
      logDir: absolutePath.optional(),
    })
    .prefault({}),
  exec: z
    .strictObject({
      maxOutputBytes: z
        .number()
        .int()
        .positive()
        .default(16 * 1024 * 1024),
    })
    .prefault({}),
});

export type AgentConfig = z.output<typeof AgentConfigSchema>;

export async function loadAgentConfig(file: string): Promise<AgentConfig> {
  return (await loadYamlFile(file, AgentConfigSchema)).config;
}
