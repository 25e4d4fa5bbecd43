// CPU time of each thread of this process, from /proc (Linux only).
import { existsSync, readdirSync, readFileSync } from 'node:fs';

// Linux reports utime and stime in clock ticks of USER_HZ, which is 100 on every common
// kernel configuration.
const ticksPerSecond = 100;

/** Returns a Map from thread id to CPU seconds, or undefined where /proc is missing. */
export function threadCpuSeconds() {
  if (!existsSync('/proc/self/task')) return undefined;
  const times = new Map();
  for (const tid of readdirSync('/proc/self/task')) {
    let text;
    try {
      text = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    // Fields after the command name, which is in parentheses and may hold spaces:
    // state is field 3, utime field 14 and stime field 15.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    times.set(tid, (Number(fields[11]) + Number(fields[12])) / ticksPerSecond);
  }
  return times;
}

/** Returns the `count` largest per-thread CPU seconds spent between two snapshots. */
export function busiestThreads(before, after, count) {
  if (before === undefined || after === undefined) return undefined;
  const spent = [];
  for (const [tid, seconds] of after) spent.push(seconds - (before.get(tid) ?? 0));
  return spent.sort((a, b) => b - a).slice(0, count);
}
