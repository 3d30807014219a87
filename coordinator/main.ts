#!/usr/bin/env node
import { Command } from 'commander';
import { VERSION } from '../shared/version';
import { registerBackup } from './cli/backup';
import { registerBootstrap } from './cli/bootstrap';
import { registerDeploy } from './cli/deploy';
import { registerPki } from './cli/pki';
import { registerRollback } from './cli/rollback';
import { registerMonitoring } from './cli/monitoring';
import { registerStatus } from './cli/status';
import { registerExec } from './cli/exec';
import { registerServe } from './cli/serve';
import { registerLogs } from './cli/logs';
import { registerServerControl } from './cli/server-control';

const program = new Command('coordinator')
  .description('zkfleet coordinator: deliver and run a ZooKeeper ensemble from one file')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText(
    'after',
    `
Getting started:
  coordinator pki init ./pki                         # CA + coordinator certificate
  coordinator bootstrap ensemble.yaml                # the agent onto every host, over ssh
  coordinator deploy ensemble.yaml --dry-run         # the plan, nothing touched
  coordinator deploy ensemble.yaml                   # the runbook, end to end; upgrades roll
  coordinator rollback ensemble.yaml                 # every server back to what it ran before
  coordinator backup ensemble.yaml                   # snapshot + logs from a follower, verified
  coordinator restore ensemble.yaml --from NAME      # the plan, a yes, then the data replaced
  coordinator status ensemble.yaml                   # quorum, leader, modes
  coordinator exec ensemble.yaml -- uptime           # ad-hoc, audited, on every host
  coordinator logs ensemble.yaml --follow            # the servers' logs, without ssh
  coordinator serve --config coordinator.yaml        # health reports from the agents

Exit codes: 0 success, 1 error, 2 partial (some hosts failed), 64 usage, 75 locked (another deploy).`,
  );

program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 64);
});
registerPki(program);
registerBootstrap(program);
registerDeploy(program);
registerRollback(program);
registerBackup(program);
registerStatus(program);
registerMonitoring(program);
registerExec(program);
registerLogs(program);
registerServerControl(program);
registerServe(program);

program.parseAsync().catch((err) => {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  process.exit(1);
});
