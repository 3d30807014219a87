import path from 'node:path';
import { uploadArtifact } from '../fleet/upload';
import type { DeployRun, ImageReport } from './run';

/** The base image builds alongside the ensemble: neither waits on the other (awaited by awaitImageBuild). */
export async function startImageBuild(run: DeployRun): Promise<void> {
  if (run.opts.only === 'zookeeper' || !run.e.spec.image) return;
  const build = run.phase('image', () => buildBaseImage(run));
  // Awaited by awaitImageBuild; until then a cancellation must not surface as an unhandled rejection.
  build.catch(() => undefined);
  run.imageRun = build;
}

export async function awaitImageBuild(run: DeployRun): Promise<void> {
  if (run.imageRun) run.result.image = await run.imageRun;
}

/** The ops host's part: upload the javaagent jar if missing, then build and push (or find it unchanged). */
async function buildBaseImage(run: DeployRun): Promise<ImageReport | undefined> {
  const { e, signal } = run;
  const img = e.spec.image!;
  const host = e.spec.hosts.find((h) => h.name === img.host)!;
  const a = run.fleet.agent(host);
  const up = await run.hostStep(host, 'upload-jmx-agent', () => uploadArtifact(e, a, 'jmxAgent', run.opts));
  if (!up) return undefined;
  const request = {
    from: img.from,
    tag: img.tag,
    timezone: img.timezone,
    jmxAgentSha256: e.spec.artifacts.jmxAgent!.sha256.toLowerCase(),
    jmxAgentName: path.basename(e.artifactPaths.jmxAgent!),
    jmxConfig: img.jmxConfig,
    jmxPort: img.jmxPort,
    insecure: img.insecure,
    registryAuth: img.registryAuth ?? '',
    dryRun: run.dryRun,
  };
  const onLog = (line: string) => run.progress.detail(host.name, 'image', line);
  const r = await run.hostStep(host, 'image', async () => {
    if (up.pending) return { changed: true, description: `would build and push ${img.tag}`, builder: '', digest: '' };
    return a.buildImage(request, onLog, { signal });
  });
  if (!r) return undefined;
  return {
    host: host.name,
    tag: img.tag,
    changed: r.changed,
    builder: r.builder,
    digest: r.digest,
    description: r.description,
  };
}
