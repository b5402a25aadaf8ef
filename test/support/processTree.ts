/** The processes a test started, read from `ps`. */
import { execFileSync, type ChildProcess } from 'node:child_process';

export interface ProcessInfo { pid: number; pgid: number; command: string }

/** Every process below `pid`, read from one `ps` listing. */
export function descendants(pid: number): ProcessInfo[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,pgid=,args='], { encoding: 'utf8' });
  const children = new Map<number, ProcessInfo[]>();
  for (const line of out.trim().split('\n')) {
    const [p, pp, pg, ...command] = line.trim().split(/\s+/);
    const info = { pid: Number(p), pgid: Number(pg), command: command.join(' ') };
    children.set(Number(pp), [...(children.get(Number(pp)) ?? []), info]);
  }
  const all: ProcessInfo[] = [];
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => { all.push(c); walk(c.pid); });
  walk(pid);
  return all;
}

export const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };


/**
 * Cleanup after a launcher test, also after a failed check: the launcher's children have process groups of their
 * own, so killing the launcher would orphan them. Let it stop them, then kill whatever is still there.
 */
export async function stopLauncher(launcher: ChildProcess, children: number[]): Promise<void> {
  if (launcher.exitCode === null) {
    const exited = new Promise((resolve) => launcher.once('exit', resolve));
    launcher.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (launcher.exitCode === null) launcher.kill('SIGKILL');
  }
  for (const pid of children.filter(alive)) process.kill(pid, 'SIGKILL');
}
