// Whether a process id still runs: used to tell a temp file or folder that a killed process left
// behind from one a live process (a second Shoebox on the same data folder) is still writing.
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, but another user's
  }
}
