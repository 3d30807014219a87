import { Command } from 'commander';
import path from 'node:path';
import { usageError } from '../../shared/errors';
import { promises as fs } from 'node:fs';
import { certPaths, pkiPaths } from '../../shared/pki/paths';
import { clientJvmFlags } from '../../shared/zookeeper/tls';
import { collect, EXIT, fail, positiveInt, writeJson } from './common';

// The certificate library (x509 and its dependencies) is loaded by the pki commands only, when they run.
const pkiLib = () => require('../../shared/pki/pki') as typeof import('../../shared/pki/pki');

export function registerPki(program: Command): void {
  const pki = program
    .command('pki')
    .description("the fleet's certificates: one CA, the coordinator's certificate, one per agent, ZooKeeper clients'");
  registerInit(pki);
  registerIssue(pki);
  registerClient(pki);
}

function registerClient(pki: Command): void {
  pki
    .command('client')
    .argument('<name>', 'the service the certificate is for (its CN), e.g. dubbo-demo-service')
    .option('--dir <dir>', 'the PKI directory', './pki')
    .option('--days <n>', 'validity in days', positiveInt('--days'), 825)
    .option('--json', 'machine-readable result')
    .description(
      'issue a ZooKeeper client certificate for a service (zookeeper.tls.client): clients/NAME.crt, NAME.key 0600 ' +
        'and NAME.pem (key and certificate, the PEM key store a JVM reads), and print its JVM flags',
    )
    .addHelpText('after', '\nExample:\n  coordinator pki client dubbo-demo-service --dir ./pki\n')
    .action(async (name: string, o: { dir: string; days: number; json?: boolean }) => {
      try {
        if (name === 'coordinator') throw usageError('"coordinator" is the coordinator\'s own certificate');
        const { issueCertificate } = pkiLib();
        const out = await issueCertificate(o.dir, { name, role: 'client', days: o.days });
        const keyStore = out.key.replace(/\.key$/, '.pem');
        const both = (await fs.readFile(out.key, 'utf8')) + (await fs.readFile(out.cert, 'utf8'));
        await fs.writeFile(keyStore, both, { mode: 0o600 });
        const flags = clientJvmFlags(path.resolve(keyStore), path.resolve(pkiPaths(o.dir).caCert));
        if (o.json) writeJson({ ok: true, name, ...out, keyStore, jvmFlags: flags });
        else
          process.stdout.write(
            `${out.cert}\n${out.key}\n${keyStore}\n\nJVM flags for the service:\n  ${flags.join(' \\\n  ')}\n`,
          );
      } catch (err) {
        process.exitCode = fail(err, !!o.json);
      }
    });
}

function registerInit(pki: Command): void {
  pki
    .command('init')
    .argument('[dir]', 'where the CA and the coordinator certificate go', './pki')
    .option('--ip <addr>', 'address the coordinator server (`coordinator serve`) listens on; repeatable', collect, [])
    .option('--dns <name>', 'DNS name of the coordinator server; repeatable', collect, [])
    .option('--force', 'replace an existing CA (every agent certificate must then be issued again)')
    .option('--json', 'machine-readable result')
    .description('create the CA (ca.crt, ca.key 0600) and the coordinator certificate; does nothing if the CA exists')
    .addHelpText('after', '\nExample:\n  coordinator pki init ./pki --ip 10.4.7.200\n')
    .action(async (dir: string, o: { ip: string[]; dns: string[]; force?: boolean; json?: boolean }) => {
      try {
        const { initCa } = pkiLib();
        const r = await initCa(dir, {
          force: o.force,
          coordinatorIps: o.ip.length ? o.ip : undefined,
          coordinatorDns: o.dns.length ? o.dns : undefined,
        });
        if (o.json) writeJson({ ok: true, created: r.created, dir: path.resolve(dir) });
        else
          process.stdout.write(
            r.created
              ? `CA and coordinator certificate written to ${dir}\n`
              : `${dir} already has a CA: nothing changed (use --force to replace it)\n`,
          );
        process.exitCode = EXIT.OK;
      } catch (err) {
        process.exitCode = fail(err, !!o.json);
      }
    });
}

function registerIssue(pki: Command): void {
  pki
    .command('issue')
    .argument('<name>', "the agent's host name; must equal `name` in its config and in the ensemble file")
    .option('--dir <dir>', 'the PKI directory', './pki')
    .option('--ip <addr>', 'address the agent listens on; repeatable or comma-separated', collect, [])
    .option('--dns <name>', 'DNS name of the agent; repeatable', collect, [])
    .option('--days <n>', 'validity in days', positiveInt('--days'), 825)
    .option('--json', 'machine-readable result')
    .description('issue an agent certificate (agents/NAME.crt, agents/NAME.key 0600)')
    .addHelpText('after', '\nExample:\n  coordinator pki issue hdss7-11 --ip 10.4.7.11 --dns hdss7-11.host.com\n')
    .action(async (name: string, o: { dir: string; ip: string[]; dns: string[]; days: number; json?: boolean }) => {
      try {
        if (name === 'coordinator')
          throw usageError('"coordinator" is the coordinator\'s own certificate; pick the agent\'s host name');
        const { issueCertificate } = pkiLib();
        await issueCertificate(o.dir, { name, role: 'agent', ips: o.ip, dns: o.dns, days: o.days });
        const out = certPaths(o.dir, name);
        if (o.json) writeJson({ ok: true, name, ...out });
        else process.stdout.write(`${out.cert}\n${out.key}\n`);
      } catch (err) {
        process.exitCode = fail(err, !!o.json);
      }
    });
}
