import path from 'node:path';
import { ZkfError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { logicalPathProblem } from '../../shared/names';
import type { AgentConfig } from './config';

/**
 * What every agent component gets: the frozen config, a logger, and the mapping from the runbook's
 * paths (`/usr/java`, `/opt/zookeeper`, `/data/zookeeper/data`) to the real ones under the agent's root.
 * With root `/` (production) the two are the same; in the sandbox each host has its own root.
 */
export class Host {
  constructor(
    public config: AgentConfig,
    readonly log: Logger,
  ) {}

  /** A logical (runbook) absolute path to the real path on this machine. */
  path(logical: string): string {
    const why = logicalPathProblem(logical);
    if (why) throw new ZkfError('INVALID_ARGUMENT', `path "${logical}" ${why}`);
    return path.join(this.config.root, path.posix.normalize(logical));
  }
}
