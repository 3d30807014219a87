import type { RunIdentity, StateFile } from '../daemon/state';
import { startTrees } from '../artifacts/trees';
import { identity, identityDiff, legacyIdentity, partsOnDisk, treeParts, type FileParts } from './process';
import { serverPid } from './runners';

/**
 * Why the running server would run differently after a restart: anything it was started with that differs
 * from `parts` (what configure rendered, or what is on disk), trees staged for it included; also a change an
 * earlier, interrupted deploy wrote (the coordinator died before the restart). Nothing when no server runs.
 * `changed`: configure changed files just now; `pid`: the server's pid when the caller asked for it already (a
 * status: under systemd, one `systemctl show`).
 */
export async function restartPending(
  state: StateFile,
  o: { parts?: FileParts; changed?: boolean; pid?: Promise<number> } = {},
): Promise<string[]> {
  const { parts, changed = false, pid } = o;
  const zk = (await state.read()).zookeeper;
  if (!zk || !(await (pid ?? serverPid(zk)))) return [];
  const files = parts ?? (await partsOnDisk(zk));
  const now = identity({ ...files, ...treeParts(await startTrees(state, true)) });
  const then = await startedWith(state, zk.startedWith, files);
  if (!then) return changed ? ['started before zkfleet recorded what with'] : [];
  return identityDiff(then, now);
}

/** An agent before 0.3 kept one digest of the files: it matches, the server runs these files and the linked trees. */
async function startedWith(state: StateFile, recorded: RunIdentity | string | undefined, parts: FileParts) {
  if (typeof recorded !== 'string') return recorded;
  if (recorded !== legacyIdentity(parts)) return undefined;
  return identity({ ...parts, ...treeParts(await startTrees(state, false)) });
}
