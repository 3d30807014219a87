import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ZkfError } from '../../shared/errors';
import type { QuorumStage } from '../../shared/zookeeper/tls';
import { readFileOr, writeFileAtomic } from '../../shared/fs-atomic';

/**
 * The coordinator's memory of an ensemble, in its state directory (by default `.zkfleet/<name>/` next to
 * the file, keyed by the ensemble's name so renaming the file changes nothing). Written atomically.
 */
export interface EnsembleState {
  myids: Record<string, number>;
  /** Hosts that left the file: their myids are never handed to another host. */
  retired: Record<string, number>;
  /** What the last deploy wrote, per host: sha256 of zoo.cfg and myid (drift is judged against it). */
  written?: Record<string, { cfgSha256?: string; at: string }>;
  lastDeploy?: { at: string; ok: boolean; changed: boolean };
  /**
   * The servers the ensemble runs with, as the last deploy (or membership step) left them: how a later deploy
   * knows what the file adds and removes, and reaches a removed server that is no longer in the file.
   */
  members?: MemberRecord[];
  /** Removed servers whose agent could not be told yet: told (and their server kept stopped) at the next contact. */
  fence?: MemberRecord[];
  /** Quorum TLS: the last stage every server was verified at (absent: plaintext). */
  quorumTls?: QuorumStage;
}

/** A server of the ensemble as the state keeps it: enough to reach its agent without the file. */
export interface MemberRecord {
  name: string;
  address: string;
  agent: string;
  myid: number;
  observer: boolean;
}

export async function readState(stateDir: string): Promise<EnsembleState> {
  const text = await readFileOr(path.join(stateDir, 'state.json'));
  if (!text) return { myids: {}, retired: {} };
  try {
    const s = JSON.parse(text) as EnsembleState;
    return { ...s, myids: s.myids ?? {}, retired: s.retired ?? {} };
  } catch (err) {
    throw new ZkfError(
      'CONFIG_INVALID',
      `${path.join(stateDir, 'state.json')} is not valid JSON; it holds the myid assignments: ` +
        'restore it from backup or pin myids in the file',
      { cause: err },
    );
  }
}

export async function writeState(stateDir: string, state: EnsembleState): Promise<void> {
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(path.join(stateDir, 'state.json'), JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
}

export interface MyidInput {
  hosts: string[]; // ZooKeeper hosts in file order
  pins: Record<string, number>;
  existing: Record<string, { myid: number; hasData: boolean }>; // what each host holds now
}

/**
 * Stable myids. Precedence: a pin in the file, then the coordinator's state, then the myid a host already
 * holds, then the next id never used before (a retired id is never handed out again, nor to its own host
 * without its data). Never renumbers: a pin or state that contradicts a host's
 * data is refused with what to do.
 */
export function assignMyids(
  state: EnsembleState,
  input: MyidInput,
): { myids: Record<string, number>; problems: string[]; state: EnsembleState } {
  const problems: string[] = [];
  const myids: Record<string, number> = {};
  const used = new Set<number>([...Object.values(state.retired)]);
  const taken = (id: number, host: string) => {
    const other = Object.entries(myids).find(([h, v]) => v === id && h !== host);
    return other?.[0];
  };
  for (const h of input.hosts) {
    const pin = input.pins[h];
    const held = input.existing[h];
    // A host that comes back after its removal gets its old myid only with that server's data: its dataDir was
    // moved aside at the removal, and a myid that once voted must never vote again without what it acked.
    const retired = state.retired[h];
    const remembered =
      state.myids[h] ?? (retired !== undefined && held?.hasData && held.myid === retired ? retired : undefined);
    if (pin !== undefined) {
      if (held?.hasData && held.myid && held.myid !== pin) {
        problems.push(
          `${h}: zookeeper.myids pins ${pin}, but its dataDir holds the data of server ${held.myid}; ` +
            `refusing to renumber it (pin ${held.myid}, or move the data away on the host)`,
        );
      }
      myids[h] = pin;
    } else if (remembered !== undefined) {
      if (held?.hasData && held.myid && held.myid !== remembered) {
        problems.push(
          `${h}: the coordinator assigned myid ${remembered}, but its dataDir holds the data of server ` +
            `${held.myid}; pin the one you mean in zookeeper.myids`,
        );
      }
      myids[h] = remembered;
    } else if (held?.myid && (held.hasData || !Object.values(state.retired).includes(held.myid))) {
      myids[h] = held.myid;
    }
  }
  for (const [h, id] of Object.entries(myids)) {
    const other = taken(id, h);
    if (other) problems.push(`myid ${id} would be both ${other} and ${h}; pin distinct myids in zookeeper.myids`);
  }
  for (const id of Object.values(state.myids)) used.add(id);
  for (const id of Object.values(myids)) used.add(id);
  let next = 1;
  for (const h of input.hosts) {
    if (myids[h] !== undefined) continue;
    while (used.has(next)) next++;
    myids[h] = next;
    used.add(next);
  }
  const retired = { ...state.retired };
  for (const [h, id] of Object.entries(state.myids)) if (!input.hosts.includes(h)) retired[h] = id;
  for (const h of input.hosts) delete retired[h];
  return { myids, problems: [...new Set(problems)], state: { ...state, myids: { ...myids }, retired } };
}
