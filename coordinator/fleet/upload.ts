import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AgentConnection } from './agent-client';
import type { Ensemble } from '../ensemble/file';

/**
 * The upload step of any artifact: nothing when the agent holds the digest, else a stream of the file.
 * `pending` (dry run only) says the artifact is not on the host yet, so the steps that use it can only
 * be planned.
 */
export async function uploadArtifact(
  e: Ensemble,
  a: AgentConnection,
  kind: 'jdk' | 'zookeeper' | 'jmxAgent',
  opts: { dryRun: boolean; signal: AbortSignal },
): Promise<{ changed: boolean; description: string; pending: boolean }> {
  const sha = e.spec.artifacts[kind]!.sha256.toLowerCase();
  const file = e.artifactPaths[kind]!;
  const name = path.basename(file);
  if ((await a.hasArtifact(sha, { signal: opts.signal })).present)
    return { changed: false, description: `${name} already there`, pending: false };
  const size = (await fs.stat(file)).size;
  if (opts.dryRun)
    return { changed: true, description: `would upload ${name} (${(size / 1e6).toFixed(0)} MB)`, pending: true };
  const t = Date.now();
  // The JDK and ZooKeeper are unpacked by the agent as they arrive; the install step then only checks and links.
  const unpackInto = kind === 'jdk' || kind === 'zookeeper' ? e.spec[kind].installDir : undefined;
  await a.upload(file, sha, size, name, () => undefined, { signal: opts.signal, unpackInto });
  const s = Math.max((Date.now() - t) / 1000, 0.001);
  return {
    changed: true,
    description: `uploaded ${name} (${(size / 1e6).toFixed(0)} MB, ${(size / 1e6 / s).toFixed(0)} MB/s)`,
    pending: false,
  };
}
