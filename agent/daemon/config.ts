import { z } from 'zod';
import { absolutePath, durationMs, hostPort, listenAddress, loadYamlFile } from '../../shared/config-file';
import { AGENT_DEFAULTS, IMAGE_DEFAULTS, ZOOKEEPER_DEFAULTS } from '../../shared/defaults';
import { HOST_NAME, JVM_FLAGS } from '../../shared/names';

export const CAPABILITIES = ['zookeeper', 'dns', 'image', 'exec'] as const;
export type Capability = (typeof CAPABILITIES)[number];

const coordinatorSection = z.strictObject({
  address: hostPort,
  reportIntervalMs: durationMs.default(AGENT_DEFAULTS.reportIntervalMs),
  /** Logical paths whose free space is reported (default: the runbook's dataDir and dataLogDir). */
  watchPaths: z.array(absolutePath).default([ZOOKEEPER_DEFAULTS.dataDir, ZOOKEEPER_DEFAULTS.dataLogDir]),
});

const dnsSection = z.strictObject({
  server: z.string().default('127.0.0.1'),
  port: z.number().int().min(1).max(65535).default(53),
  rndc: z.array(z.string()).default(['rndc']),
  namedPidFile: absolutePath.optional(),
  checkzone: z.string().default('named-checkzone'),
  answerTimeoutMs: durationMs.default(AGENT_DEFAULTS.dnsAnswerTimeoutMs),
});

const imageSection = z.strictObject({
  registryAuth: absolutePath.optional(),
  workDir: absolutePath.default(IMAGE_DEFAULTS.workDir),
  env: z.record(z.string(), z.string()).default({}),
});

const zookeeperSection = z.strictObject({
  /** Extra flags for every server JVM on this host, before the ensemble file's own. */
  jvmFlags: z
    .string()
    .regex(JVM_FLAGS, 'JVM flags may not hold quotes, $, backticks or line breaks')
    .default(AGENT_DEFAULTS.jvmFlags),
  logDir: absolutePath.default(AGENT_DEFAULTS.zookeeperLogDir),
});

/** The agent's config file (`agent --config FILE`). Reference: README.md, "Agent configuration". */
export const AgentConfigSchema = z.strictObject({
  name: z.string().regex(HOST_NAME, 'must be a host name; it must match the CN of the agent certificate'),
  listen: listenAddress,
  tls: z.strictObject({ ca: absolutePath, cert: absolutePath, key: absolutePath }),
  root: absolutePath.default(AGENT_DEFAULTS.root),
  stateDir: absolutePath.default(AGENT_DEFAULTS.stateDir),
  capabilities: z.array(z.enum(CAPABILITIES)).default(['zookeeper', 'exec']),
  coordinator: coordinatorSection.optional(),
  /** Prometheus text format over plain HTTP: the agent's own process figures and the RPCs it served. */
  metrics: z.strictObject({ listen: hostPort }).optional(),
  dns: dnsSection.prefault({}),
  image: imageSection.prefault({}),
  zookeeper: zookeeperSection.prefault({}),
  exec: z
    .strictObject({ maxOutputBytes: z.number().int().positive().default(AGENT_DEFAULTS.maxExecOutputBytes) })
    .prefault({}),
});

export type AgentConfig = z.output<typeof AgentConfigSchema>;

export async function loadAgentConfig(file: string): Promise<AgentConfig> {
  return (await loadYamlFile(file, AgentConfigSchema)).config;
}
