import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readFileOr } from '../../shared/fs-atomic';
import { dynamicMembers, dynamicVersion, parseZooCfg } from '../../shared/zookeeper/zoo-cfg';
import type { Account } from './user';

/**
 * Dynamic reconfiguration on the host: ZooKeeper keeps the server list in a dynamic file it writes itself
 * (`zoo.cfg.dynamic.<version>`, next to zoo.cfg) and rewrites zoo.cfg to point at it. zkfleet writes the first
 * dynamic file only (a joiner's, or when reconfig is turned on) and reads the later ones; it never rewrites one.
 */
export interface DynamicFile {
  /** The file zoo.cfg points at (real path). */
  file: string;
  /** What it lists now, when it is there (ZooKeeper's). */
  current?: string;
}

/** The dynamic file the server's zoo.cfg points at and that exists, else where zkfleet writes the first one. */
export async function dynamicFileOf(cfgFile: string, oldCfg: string | undefined): Promise<DynamicFile> {
  const pointer = oldCfg === undefined ? undefined : parseZooCfg(oldCfg).get('dynamicConfigFile');
  const current = pointer ? await readFileOr(pointer) : undefined;
  if (pointer && current !== undefined) return { file: pointer, current };
  return { file: path.join(path.dirname(cfgFile), 'zoo.cfg.dynamic') };
}

/**
 * ZooKeeper writes its dynamic files and rewrites zoo.cfg through temporary files beside them, as the server's
 * user: the conf directory and zoo.cfg become that user's (zoo.cfg holds the super user's digest: 0640).
 */
export async function handConfToServer(cfgFile: string, account: Account): Promise<void> {
  const dir = path.dirname(cfgFile);
  await fs.chown(dir, account.uid, account.gid);
  await fs.chmod(dir, 0o750);
  for (const f of await fs.readdir(dir)) {
    if (f === 'zoo.cfg' || f.startsWith('zoo.cfg.dynamic'))
      await fs.lchown(path.join(dir, f), account.uid, account.gid);
  }
  await fs.chmod(cfgFile, 0o640);
}

/** The config version and members of a server with reconfig on; empty strings without. */
export async function dynamicStatus(cfgFile: string): Promise<{ configVersion: string; configMembers: string }> {
  const cfg = await readFileOr(cfgFile);
  const pointer = cfg === undefined ? undefined : parseZooCfg(cfg).get('dynamicConfigFile');
  const text = pointer ? await readFileOr(pointer) : undefined;
  if (!pointer || text === undefined) return { configVersion: '', configMembers: '' };
  return { configVersion: dynamicVersion(pointer), configMembers: dynamicMembers(text) };
}
