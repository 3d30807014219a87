import { Command } from 'commander';
import { fail } from './common';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .requiredOption('-c, --config <file>', 'server config (YAML): listen, pki, stateDir, metrics.listen')
    .description(
      "run the coordinator server: receives the agents' health reports, keeps them across restarts, serves /metrics",
    )
    .addHelpText(
      'after',
      `
Config example:
  listen: 10.4.7.200:7400          # agents' coordinator.address points here
  pki: /etc/zkfleet/pki            # ca.crt, coordinator.crt, coordinator.key
  stateDir: /var/lib/zkfleet       # reports.json, events.jsonl
  metrics: { listen: 10.4.7.200:9400 }

Signals: SIGTERM/SIGINT drain and stop (a second one forces). Runs under systemd as zkfleet-coordinator.service.`,
    )
    .action(async (o: { config: string }) => {
      // The server (winston, the health store) is loaded only by the command that runs it.
      const { createLogger } = require('../../shared/logger') as typeof import('../../shared/logger');
      const { loadServeConfig } = require('../server/config') as typeof import('../server/config');
      const { CoordinatorServer } = require('../server/server') as typeof import('../server/server');
      const log = createLogger().child({ component: 'coordinator-server' });
      try {
        const server = new CoordinatorServer(await loadServeConfig(o.config), log);
        await server.start();
        let signals = 0;
        const stop = () => {
          signals++;
          server.stop(signals > 1).then(
            () => {
              log.info('stopped');
              process.exit(0);
            },
            () => process.exit(1),
          );
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      } catch (err) {
        process.exitCode = fail(err, false);
      }
    });
}
