import path from 'node:path';
import type { AgentConnection } from './agent-client';
import type { Ensemble, HostSpec } from './ensemble';
import type { Fleet } from './fleet';
import type { Progress } from './progress';
import { uploadArtifact } from './upload';

export interface ImageReport {
  host: string;
  tag: string;
  changed: boolean;
  builder: string;
  digest: string;
  description: string;
}

type Step = <T extends { changed: boolean; description: string }>(
  h: HostSpec,
  name: string,
  fn: () => Promise<T>,
) => Promise<T>;

/** The ops host's part: upload the javaagent jar if missing, then build and push (or find it unchanged). */
export async function deployImage(
  e: Ensemble,
  fleet: Fleet,
  opts: { dryRun: boolean; progress: Progress; signal: AbortSignal; step: Step },
): Promise<ImageReport> {
  const img = e.spec.image!;
  const host = e.spec.hosts.find((h) => h.name === img.host)!;
  const jmx = e.spec.artifacts.jmxAgent!;
  const file = e.artifactPaths.jmxAgent!;
  const a: AgentConnection = fleet.agent(host);
  const sha = jmx.sha256.toLowerCase();
  const { pending } = await opts.step(host, 'upload-jmx-agent', () => uploadArtifact(e, a, 'jmxAgent', opts));
  const r = await opts.step(host, 'image', async () => {
    if (pending) return { changed: true, description: `would build and push ${img.tag}`, builder: '', digest: '' };
    return a.buildImage(
      {
        from: img.from,
        tag: img.tag,
        timezone: img.timezone,
        jmxAgentSha256: sha,
        jmxAgentName: path.basename(file),
        jmxConfig: img.jmxConfig,
        jmxPort: img.jmxPort,
        insecure: img.insecure,
        registryAuth: img.registryAuth ?? '',
        dryRun: opts.dryRun,
      },
      (line) => opts.progress.detail(host.name, 'image', line),
      { signal: opts.signal },
    );
  });
  return {
    host: host.name,
    tag: img.tag,
    changed: r.changed,
    builder: r.builder,
    digest: r.digest,
    description: r.description,
  };
}
