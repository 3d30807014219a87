import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { TestContext } from 'node:test';
import { AgentDaemon, loadChecked } from '../../agent/daemon/lifecycle';
import { AgentConnection } from '../../coordinator/fleet/agent-client';
import { createLogger } from '../../shared/logger';
import { certPaths, initCa, issueCertificate, pkiPaths } from '../../shared/pki/pki';
import { loadTls, type TlsMaterial } from '../../shared/pki/tls';
import { tmpDir } from '../helpers';

/**
 * The root-free middle layer: a real agent daemon in this process on 127.0.0.1, port 0, with a temp root
 * and a temp PKI; a real coordinator client over real mTLS. No namespaces, no root, seconds to run.
 */
export interface LocalAgent {
  dir: string;
  pki: string;
  root: string;
  configFile: string;
  daemon: AgentDaemon;
  client: AgentConnection;
  coordinatorTls: TlsMaterial;
  logLines: string[];
  writeConfig(extra?: string): void;
}

export async function localPki(t: TestContext): Promise<string> {
  const pki = path.join(tmpDir(t), 'pki');
  await initCa(pki, { coordinatorIps: ['127.0.0.1'] });
  return pki;
}

export async function localAgent(
  t: TestContext,
  o: { name?: string; capabilities?: string; pki?: string } = {},
): Promise<LocalAgent> {
  const name = o.name ?? 'local-1';
  const dir = tmpDir(t);
  const pki = o.pki ?? (await localPki(t));
  await issueCertificate(pki, { name, role: 'agent', ips: ['127.0.0.1'] }).catch(() => undefined);
  const root = path.join(dir, 'root');
  mkdirSync(root, { recursive: true });
  const configFile = path.join(dir, 'agent.yaml');
  const tls = certPaths(pki, name);
  const writeConfig = (capabilities = o.capabilities ?? '[zookeeper, exec]') =>
    writeFileSync(
      configFile,
      [
        `name: ${name}`,
        'listen: 127.0.0.1:0',
        `tls: { ca: ${pkiPaths(pki).caCert}, cert: ${tls.cert}, key: ${tls.key} }`,
        `root: ${root}`,
        `stateDir: ${path.join(dir, 'state')}`,
        `capabilities: ${capabilities}`,
      ].join('\n') + '\n',
    );
  writeConfig();
  const logLines: string[] = [];
  const stream = new Writable({
    write: (c, _e, cb) => {
      logLines.push(String(c));
      cb();
    },
  });
  const loaded = await loadChecked(configFile);
  const daemon = new AgentDaemon(configFile, loaded.config, loaded.tls, createLogger({ stream }));
  await daemon.start();
  const coordinatorTls = await loadTls({ ca: pkiPaths(pki).caCert, ...certPaths(pki, 'coordinator') });
  const client = new AgentConnection(name, `127.0.0.1:${daemon.port}`, coordinatorTls);
  t.after(async () => {
    client.close();
    await daemon.stop();
  });
  return { dir, pki, root, configFile, daemon, client, coordinatorTls, logLines, writeConfig };
}
