import path from 'node:path';
import { z } from 'zod';
import { hostPort, loadYamlFile } from '../../shared/config-file';

/** `coordinator serve --config FILE`. Relative paths resolve next to the file. */
export const ServeConfigSchema = z.strictObject({
  listen: hostPort,
  pki: z.string().min(1),
  stateDir: z.string().default('/var/lib/zkfleet'),
  metrics: z.strictObject({ listen: hostPort }).optional(),
  /** Scheduled backups of one ensemble (`coordinator backup`), every `every` ("6h", "30m", "90s"). */
  backup: z
    .strictObject({
      ensemble: z.string().min(1),
      every: z.string().regex(/^\d+(s|m|h|d)$/, 'a duration such as 6h, 30m, 90s or 1d'),
      keep: z.number().int().min(1).optional(),
      dir: z.string().min(1).optional(),
    })
    .transform((b) => ({ ...b, everyMs: durationMs(b.every) }))
    .optional(),
});
export type ServeConfig = z.output<typeof ServeConfigSchema>;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function durationMs(d: string): number {
  return Number(d.slice(0, -1)) * UNIT_MS[d.slice(-1)];
}

export async function loadServeConfig(file: string): Promise<ServeConfig> {
  const { config } = await loadYamlFile(file, ServeConfigSchema);
  const dir = path.dirname(path.resolve(file));
  const backup = config.backup && {
    ...config.backup,
    ensemble: path.resolve(dir, config.backup.ensemble),
    dir: config.backup.dir && path.resolve(dir, config.backup.dir),
  };
  const paths = { pki: path.resolve(dir, config.pki), stateDir: path.resolve(dir, config.stateDir) };
  return Object.freeze({ ...config, ...paths, backup });
}
