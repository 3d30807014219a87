import { ZkfError } from '../../shared/errors';
import type { Host } from '../daemon/host';
import { PRODUCTS } from './install';
import type { ProductKind, StateFile } from '../daemon/state';
import { flipTo, linkTarget, pruneTrees, recordActivation } from './trees';
import { configureZooKeeper } from '../zookeeper/configure';

const KINDS: ProductKind[] = ['jdk', 'zookeeper'];

/**
 * At a server's restart (its turn in a roll), the trees staged for it become current: each link flips, the
 * managed files are rendered into the new ZooKeeper tree from the last configuration, the change is
 * remembered for a rollback. Runs while the server is stopped. Returns what changed.
 */
export async function activatePending(host: Host, state: StateFile): Promise<string[]> {
  const trees = (await state.read()).trees ?? {};
  const done: string[] = [];
  for (const kind of KINDS) {
    const t = trees[kind];
    if (!t?.pending) continue;
    const from = await linkTarget(t);
    await flipTo(state, kind, t, t.pending);
    done.push(`${PRODUCTS[kind].what} ${from ?? '-'} → ${t.pending}`);
  }
  if (!done.length) return done;
  await recordActivation(state);
  await afterFlip(host, state);
  return done;
}

/** The trees of the activation before the last one become current again (`coordinator rollback`). */
export async function activatePrevious(host: Host, state: StateFile): Promise<string[]> {
  const s = await state.read();
  const history = s.activations ?? [];
  const previous = history.at(-2);
  if (!previous) throw new ZkfError('NOT_FOUND', 'there is no earlier version on this host to go back to');
  const done: string[] = [];
  for (const kind of KINDS) {
    const t = s.trees?.[kind];
    const name = previous[kind];
    if (!t || !name || (await linkTarget(t)) === name) continue;
    done.push(`${PRODUCTS[kind].what} ${await linkTarget(t)} → ${name}`);
    await flipTo(state, kind, t, name);
  }
  await state.update({ activations: history.slice(0, -1) });
  await afterFlip(host, state);
  return done;
}

async function afterFlip(host: Host, state: StateFile): Promise<void> {
  const s = await state.read();
  const jdk = s.trees?.jdk;
  if (jdk) await PRODUCTS.jdk.after?.(host, jdk.linkPath, false);
  if (s.lastConfigure) await configureZooKeeper(host, state, { ...s.lastConfigure, dryRun: false });
  for (const kind of KINDS) await pruneTrees(host, state, kind);
}
