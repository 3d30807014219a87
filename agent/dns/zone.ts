import { promises as dnsp } from 'node:dns';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZkfError } from '../../shared/errors';
import { killPoint } from '../../shared/fault';
import { sweepTemps, tempPathFor } from '../../shared/fs-atomic';
import type { StepResult, UpsertDnsRecordsRequest__Output } from '../../shared/generated/wire';
import { upsertARecords } from '../../shared/dns/zone-file';
import { DNS_NAME, isIPv4Address } from '../../shared/names';
import type { Host } from '../daemon/host';
import { run, runFailure } from '../daemon/run';
import { dnsTools, type DnsTools } from './layout';

/**
 * Upsert A records in a BIND zone (and take out those of removed servers): edit in memory (every other byte
 * kept), roll the serial, validate with
 * named-checkzone on a temp file, keep the previous file as <file>.bak, rename the new one in, reload, and
 * answer only once the server serves the new serial and records. No change: no serial bump, no reload.
 */
export async function upsertDnsRecords(
  host: Host,
  req: UpsertDnsRecordsRequest__Output,
  signal?: AbortSignal,
): Promise<StepResult> {
  checkRequest(req);
  const tools = dnsToolsOn(host);
  const file = host.path(req.zoneFile);
  const text = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new ZkfError('NOT_FOUND', `zone file ${req.zoneFile}: ${err.code}`, { cause: err });
  });
  const edit = upsertARecords(
    text,
    req.zone,
    req.records.map((r) => ({ name: r.name, address: r.address })),
    new Date(),
    req.remove,
  );
  if (!edit.changed)
    return {
      changed: false,
      description: `${req.zone}: records already present, serial ${edit.oldSerial} unchanged`,
      path: req.zoneFile,
    };
  if (req.dryRun)
    return { changed: true, description: `would change ${req.zone}: ${edit.changes.join(', ')}`, path: req.zoneFile };

  await sweepTemps(path.dirname(file));
  const st = await fs.stat(file);
  const tmp = tempPathFor(file);
  await fs.writeFile(tmp, edit.text, { mode: st.mode & 0o7777, flag: 'wx' });
  try {
    await fs.chown(tmp, st.uid, st.gid);
    await checkZone(tools.checkzone, req.zone, tmp, req.zoneFile);
    // Under SELinux the zone named reads must carry its directory's context (named_zone_t on RHEL): given to the
    // temp file beside it, so the rename below stays the one step that changes what named sees.
    if (tools.restorecon) await run(tools.restorecon, [tmp], { timeout: 30_000 });
    // The previous version stays as .bak (written atomically too) before the new one is renamed in.
    const bak = `${file}.bak`;
    const bakTmp = tempPathFor(bak);
    await fs.copyFile(file, bakTmp);
    await fs.rename(bakTmp, bak);
    killPoint('dns.before-rename');
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  const how = await reload(host, req.zone);
  await waitForAnswers(host, req.zone, edit.newSerial, req.records, signal);
  host.log.info('zone updated', { zone: req.zone, file: req.zoneFile, changes: edit.changes, reload: how });
  return {
    changed: true,
    description: `${req.zone}: ${edit.changes.join(', ')}; reloaded (${how})`,
    path: req.zoneFile,
  };
}

/** Names and addresses as a zone takes them; the agent trusts no caller. */
function checkRequest(req: UpsertDnsRecordsRequest__Output): void {
  if (!DNS_NAME.test(req.zone)) throw new ZkfError('INVALID_ARGUMENT', `"${req.zone}" is not a zone name`);
  for (const r of req.records) {
    if (!isIPv4Address(r.address))
      throw new ZkfError('INVALID_ARGUMENT', `${r.name}: "${r.address}" is not an IPv4 address`);
    if (!DNS_NAME.test(r.name)) throw new ZkfError('INVALID_ARGUMENT', `"${r.name}" is not a DNS name`);
  }
  for (const name of req.remove) {
    if (!DNS_NAME.test(name)) throw new ZkfError('INVALID_ARGUMENT', `"${name}" is not a DNS name`);
  }
}

/** The DNS host's tools, as its filesystem shows them. */
function dnsToolsOn(host: Host): DnsTools {
  const enforce = host.config.root === '/' ? readFileOrUndefined('/sys/fs/selinux/enforce') : undefined;
  return dnsTools(host.config.dns.checkzone, { exists: (p) => existsSync(host.path(p)), selinuxEnforce: enforce });
}

function readFileOrUndefined(p: string): string | undefined {
  try {
    return readFileSync(p, 'utf8').trim();
  } catch {
    return undefined;
  }
}

async function checkZone(checkzone: string, zone: string, file: string, shownAs: string): Promise<void> {
  try {
    await run(checkzone, [zone.replace(/\.$/, ''), file], { timeout: 30_000 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number | string };
    if (e.code === 'ENOENT')
      throw new ZkfError('NOT_FOUND', `${checkzone} not found: install bind9-utils (Debian) or bind (RHEL)`, {
        cause: err,
      });
    const out = `${e.stdout ?? ''}${e.stderr ?? ''}`.split(file).join(shownAs).trim();
    throw new ZkfError(
      'ZONE_INVALID',
      `named-checkzone rejects ${shownAs} with the new records, so it was left as it was ` +
        `and named keeps serving the last good zone:\n${out}`,
      { cause: err },
    );
  }
}

async function reload(host: Host, zone: string): Promise<string> {
  const { rndc, namedPidFile } = host.config.dns;
  if (rndc.length) {
    try {
      await run(rndc[0], [...rndc.slice(1), 'reload', zone.replace(/\.$/, '')], { timeout: 30_000 });
      return 'rndc reload';
    } catch (err) {
      if (!namedPidFile) throw new ZkfError('COMMAND_FAILED', runFailure(`rndc reload ${zone}`, err), { cause: err });
    }
  }
  if (!namedPidFile)
    throw new ZkfError('CONFIG_INVALID', 'dns: neither rndc nor namedPidFile is configured: cannot reload the zone');
  const pid = Number((await fs.readFile(namedPidFile, 'utf8')).trim());
  process.kill(pid, 'SIGHUP');
  return `SIGHUP to named ${pid}`;
}

function resolverFor(server: string, port: number): dnsp.Resolver {
  const r = new dnsp.Resolver({ timeout: 500, tries: 1 });
  r.setServers([server.includes(':') ? `[${server}]:${port}` : `${server}:${port}`]);
  return r;
}

async function waitForAnswers(
  host: Host,
  zone: string,
  serial: number,
  records: Array<{ name: string; address: string }>,
  signal?: AbortSignal,
): Promise<void> {
  const { server, port, answerTimeoutMs } = host.config.dns;
  const resolver = resolverFor(server, port);
  const origin = zone.replace(/\.$/, '');
  const fqdn = (n: string) => (n.endsWith('.') ? n.slice(0, -1) : n === '@' ? origin : `${n}.${origin}`);
  const deadline = Date.now() + answerTimeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const soa = await resolver.resolveSoa(origin);
      if (soa.serial === serial) {
        const answers = await Promise.all(
          records.map((r) => resolver.resolve4(fqdn(r.name)).catch(() => [] as string[])),
        );
        const missing = records.filter((r, i) => !answers[i].includes(r.address));
        if (!missing.length) return;
        last = `missing ${missing.map((m) => fqdn(m.name)).join(', ')}`;
      } else {
        last = `server answers serial ${soa.serial}`;
      }
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(100, undefined, { signal });
  }
  throw new ZkfError(
    'DNS_TIMEOUT',
    `named at ${server}:${port} does not serve serial ${serial} of ${origin} ${answerTimeoutMs} ms after ` +
      `the reload (${last}); the zone file is in place, check named's log`,
  );
}

export async function resolveNames(
  names: string[],
): Promise<Array<{ name: string; addresses: string[]; error: string }>> {
  return Promise.all(
    names.map(async (name) => {
      try {
        const res = await dnsp.lookup(name, { all: true, family: 4 });
        return { name, addresses: res.map((r) => r.address), error: '' };
      } catch (err) {
        return { name, addresses: [], error: (err as NodeJS.ErrnoException).code ?? String(err) };
      }
    }),
  );
}
