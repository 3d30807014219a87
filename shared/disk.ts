import { LOW_DISK } from './defaults';

export interface DiskFigures {
  path: string;
  totalBytes: number;
  freeBytes: number;
}

function describe(d: DiskFigures): string {
  return `${d.path}: ${(d.freeBytes / 1e6).toFixed(0)} MB free of ${(d.totalBytes / 1e6).toFixed(0)} MB`;
}

/**
 * The one disk rule. `full`: less than `minFreeMB` free — a deploy refuses to write there, since ZooKeeper
 * stops serving when it cannot write its transaction log. `low`: full, or under 5 % of a larger disk —
 * status warns and the server raises an event. Each is a sentence, or undefined.
 */
export function diskVerdict(d: DiskFigures, minFreeMB: number): { full?: string; low?: string } {
  if (!d.totalBytes) return {};
  const full = d.freeBytes < minFreeMB * 1e6;
  const low = full || d.freeBytes / d.totalBytes < LOW_DISK.freeFraction;
  return { full: full ? describe(d) : undefined, low: low ? describe(d) : undefined };
}

/** The first low disk of a host's disks, as a sentence. */
export function lowDisk(disks: readonly DiskFigures[], minFreeMB: number): string | undefined {
  for (const d of disks) {
    const v = diskVerdict(d, minFreeMB).low;
    if (v) return v;
  }
  return undefined;
}
