/**
 * Kill a process group (a child spawned with `detached: true` leads its own): SIGTERM first, then SIGKILL
 * after `graceMs` for whatever is left. A group that is already gone is not an error.
 */
export function killGroup(pid: number | undefined, graceMs = 500): void {
  if (!pid) return;
  if (graceMs <= 0) return signalGroup(pid, 'SIGKILL');
  signalGroup(pid, 'SIGTERM');
  setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs).unref();
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}
