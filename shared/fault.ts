/**
 * Kill points for the fault suite (test/faults): when ZKF_FAULT_KILL names a point, the process SIGKILLs
 * itself there, exactly as a power cut or an OOM kill would. Unset (always, outside the suite), it costs
 * one comparison.
 */
const armed = process.env.ZKF_FAULT_KILL;

export function killPoint(name: string): void {
  if (armed && armed === name) process.kill(process.pid, 'SIGKILL');
}
