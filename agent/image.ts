import { ZkfError } from '../shared/errors';
import type { BuildImageRequest__Output } from '../shared/proto-types/zkfleet/v1/BuildImageRequest';
import type { BuildImageResult } from '../shared/proto-types/zkfleet/v1/BuildImageResult';
import type { ArtifactStore } from './artifacts';
import type { Host } from './host';

export async function buildImage(_host: Host, _store: ArtifactStore, _req: BuildImageRequest__Output, _log: (line: string) => void, _signal: AbortSignal): Promise<BuildImageResult> {
  throw new ZkfError('INTERNAL', 'image builds are not implemented yet');
}
