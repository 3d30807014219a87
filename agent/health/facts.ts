import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type si from 'systeminformation';
import type { Disk, Facts, FactsRequest__Output } from '../../shared/generated/wire';
import { JDK_DEFAULTS, ZOOKEEPER_DEFAULTS } from '../../shared/defaults';
import type { Host } from '../daemon/host';
import { PROTOCOL_VERSION, VERSION } from '../../shared/version';
import { installedVersion } from '../artifacts/install';
import type { StateFile } from '../daemon/state';
import { dataFiles, holdsData, readMyid } from '../zookeeper/process';
import { zooKeeperMode } from '../zookeeper/status';

let osInfo: Promise<si.Systeminformation.OsData> | undefined;

/** Free space where a path lives (its nearest existing ancestor), with the mount point it is on. */
export async function diskOf(real: string, shownAs: string): Promise<Disk> {
  let p = real;
  for (;;) {
    const st = await fs.statfs(p).catch(() => undefined);
    if (st) {
      const mounts = await fs.readFile('/proc/self/mounts', 'utf8').catch(() => '');
      const mount =
        mounts
          .split('\n')
          .map((l) => l.split(' ')[1]?.replace(/\\040/g, ' '))
          .filter((m): m is string => !!m && (p === m || p.startsWith(m.endsWith('/') ? m : `${m}/`)))
          .sort((a, b) => b.length - a.length)[0] ?? '/';
      return { path: shownAs, mount, totalBytes: st.blocks * st.bsize, freeBytes: st.bavail * st.bsize };
    }
    if (p === path.dirname(p)) return { path: shownAs, mount: '', totalBytes: 0, freeBytes: 0 };
    p = path.dirname(p);
  }
}

/**
 * Host facts, and what zkfleet manages where the request points (nothing is assumed: a path not asked
 * about is not looked at).
 */
export async function gatherFacts(host: Host, state: StateFile, req: FactsRequest__Output): Promise<Facts> {
  // Loaded on first use: an idle agent does not carry systeminformation.
  osInfo ??= (require('systeminformation') as typeof si).osInfo();
  const version = (dir: string, link: string) => (dir ? installedVersion(host, path.posix.join(dir, link)) : '');
  const dataDirs = [req.dataDir, req.dataLogDir].filter(Boolean);
  const [info, mode, jdk, zk, myid, hasData, disks, files] = await Promise.all([
    osInfo,
    zooKeeperMode(state),
    version(req.jdkInstallDir, JDK_DEFAULTS.linkName),
    version(req.zookeeperInstallDir, ZOOKEEPER_DEFAULTS.linkName),
    req.dataDir ? readMyid(host.path(req.dataDir)) : 0,
    holdsData(...dataDirs.map((d) => host.path(d))),
    Promise.all(dataDirs.map((d) => diskOf(host.path(d), d))),
    dataFiles(...dataDirs.map((d) => host.path(d))),
  ]);
  return {
    name: host.config.name,
    hostname: os.hostname(),
    os: `${info.distro} ${info.release}`.trim(),
    kernel: os.release(),
    cpus: os.availableParallelism(),
    memoryTotalBytes: os.totalmem(),
    memoryAvailableBytes: os.freemem(),
    load1: os.loadavg()[0],
    disks,
    interfaces: Object.entries(os.networkInterfaces()).map(([name, addrs]) => ({
      name,
      addresses: (addrs ?? []).map((a) => a.address),
    })),
    capabilities: [...host.config.capabilities],
    jdkVersion: jdk,
    zookeeperVersion: zk,
    zookeeperMode: mode,
    myid,
    dataDirHasData: hasData,
    dataDirHasSnapshot: files.snapshot,
    dataDirHasTxnlog: files.txnlog,
    agentVersion: VERSION,
    protocolVersion: PROTOCOL_VERSION,
  };
}
