import { Writable } from 'node:stream';
import { AgentDaemon, loadChecked } from '../agent/daemon/lifecycle';
import { createLogger } from '../shared/logger';

/**
 * Many agents in one process for the fan-out rows (200 agent processes would not fit two cores and the
 * memory of a small machine): each a real AgentDaemon with its own config, certificate and port, serving
 * real mTLS. Usage: node agent-pack.js CONFIG... ; prints "ready" once every one listens.
 */
async function main(): Promise<void> {
  const quiet = new Writable({ write: (_c, _e, cb) => cb() });
  const daemons: AgentDaemon[] = [];
  for (const file of process.argv.slice(2)) {
    const loaded = await loadChecked(file);
    const d = new AgentDaemon(file, loaded.config, loaded.tls, createLogger({ stream: quiet }));
    await d.start();
    daemons.push(d);
  }
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => void Promise.all(daemons.map((d) => d.stop())).then(() => process.exit(0)));
}

main().catch((err) => {
  process.stderr.write(`agent-pack: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
