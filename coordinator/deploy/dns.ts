import { ZkfError } from '../../shared/errors';
import type { HostSpec } from '../ensemble/file';
import { serverName, zoneLabel } from '../ensemble/topology';
import type { DeployRun } from './run';

/**
 * Phase 3, DNS first: the zk<myid> A records on the DNS host (serial rolled, reloaded, answered), then
 * every ZooKeeper host must resolve every server name through its own resolver. A server name that does
 * not resolve is the classic ensemble that never forms; a DNS failure stops the run before any server.
 */
export async function publishDns(run: DeployRun): Promise<void> {
  const dns = run.e.spec.dns;
  if (!dns || !run.zk.length) return;
  const dnsHost = run.e.spec.hosts.find((h) => h.name === dns.host)!;
  const records = run.zk.map((h) => ({ name: zoneLabel(run.e, h, run.myids[h.name]), address: h.address }));
  const upsert = () =>
    run.fleet
      .agent(dnsHost)
      .upsertDnsRecords(
        { zone: dns.zone, zoneFile: dns.zoneFile, dryRun: run.dryRun, records },
        { signal: run.signal },
      );
  await run
    .phase('dns', () => run.step(dnsHost, 'dns', upsert))
    .catch((err: ZkfError) => {
      const message = `DNS update on ${dnsHost.name} failed, so no server was touched: ${err.message}`;
      throw new ZkfError('COMMAND_FAILED', message, { host: dnsHost.name, cause: err });
    });
  if (!run.dryRun) await run.phase('resolve', () => Promise.all(run.zk.map((h) => checkResolution(run, h))));
}

/** The host resolves every server name to the server's address through its own resolver, as ZooKeeper will. */
function checkResolution(run: DeployRun, h: HostSpec) {
  return run.hostStep(h, 'resolve', async () => {
    const want = run.zk.map((s) => ({ name: serverName(run.e, s, run.myids[s.name]), address: s.address }));
    const got = await run.fleet.agent(h).resolve(
      want.map((w) => w.name),
      { signal: run.signal },
    );
    const bad = want
      .map((w, i) => ({ w, g: got[i] }))
      .filter(({ w, g }) => !g.addresses.includes(w.address))
      .map(({ w, g }) => `${w.name} → ${g.addresses.join(',') || g.error || 'nothing'} (expected ${w.address})`);
    if (bad.length) {
      const hint = `Check /etc/resolv.conf on the host points at ${run.e.spec.dns!.host}.`;
      throw new ZkfError(
        'DNS_TIMEOUT',
        `does not resolve the server names as the ensemble needs: ${bad.join('; ')}. ${hint}`,
      );
    }
    return { changed: false, description: `resolves ${want.length} server names` };
  });
}
