import { ZkfError } from '../shared/errors';
import type { Ensemble, HostSpec } from './ensemble';
import type { Fleet } from './fleet';
import type { Progress } from './progress';

export interface ImageReport { host: string; tag: string; changed: boolean; builder: string; digest: string; description: string }

export async function deployImage(_e: Ensemble, _fleet: Fleet, _opts: { dryRun: boolean; progress: Progress; signal: AbortSignal; step: <T extends { changed: boolean; description: string }>(h: HostSpec, name: string, fn: () => Promise<T>) => Promise<T> }): Promise<ImageReport> {
  throw new ZkfError('INTERNAL', 'image builds are not implemented yet');
}
