import { ZooKeeperMode, type ZooKeeperMode__Output } from '../generated/proto-types/zkfleet/v1/ZooKeeperMode';

/** The server modes, from the proto's enum (the one vocabulary of status, events and metrics). */
export type Mode = ZooKeeperMode__Output;
export const MODES: readonly Mode[] = Object.values(ZooKeeperMode);

/** Answering clients: in a quorum, or alone by design. */
export const SERVING: ReadonlySet<Mode> = new Set<Mode>(['leader', 'follower', 'observer', 'standalone']);

/** A voter that counts towards the quorum right now. */
export const VOTING: ReadonlySet<Mode> = new Set<Mode>(['leader', 'follower']);

export function isServing(mode: unknown): boolean {
  return SERVING.has(mode as Mode);
}

export function isVoting(mode: unknown): boolean {
  return VOTING.has(mode as Mode);
}
