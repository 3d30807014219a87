import path from 'node:path';
import { z } from 'zod';
import { hostPort, loadYamlFile } from '../../shared/config-file';

/** `coordinator serve --config FILE`. Relative paths resolve next to the file. */
export const ServeConfigSchema = z.strictObject({
  listen: hostPort,
  pki: z.string().min(1),
  stateDir: z.string().default('/var/lib/zkfleet'),
  metrics: z.strictObject({ listen: hostPort }).optional(),
});
export type ServeConfig = z.output<typeof ServeConfigSchema>;

export async function loadServeConfig(file: string): Promise<ServeConfig> {
  const { config } = await loadYamlFile(file, ServeConfigSchema);
  const dir = path.dirname(path.resolve(file));
  return Object.freeze({ ...config, pki: path.resolve(dir, config.pki), stateDir: path.resolve(dir, config.stateDir) });
}
