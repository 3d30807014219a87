/**
 * Kill and pause points for the fault suite (test/faults): when ZKF_FAULT_KILL names a point, the process
 * SIGKILLs itself there, exactly as a power cut or an OOM kill would; when ZKF_FAULT_PAUSE names one, it
 * SIGSTOPs itself there, so a test can break the world at that exact moment and SIGCONT it. Unset (always,
 * outside the suite), each costs one comparison.
 */
const armed = process.env.ZKF_FAULT_KILL;
const paused = process.env.ZKF_FAULT_PAUSE;

export function killPoint(name: string): void {
  if (armed && armed === name) process.kill(process.pid, 'SIGKILL');
}

export function pausePoint(name: string): void {
  if (paused && paused === name) process.kill(process.pid, 'SIGSTOP');
}
