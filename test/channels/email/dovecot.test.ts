/** The private Dovecot the mail tests start is gone, every process of it, once stopped. */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startDovecot } from './dovecot';

/** Processes whose command line names this Dovecot's configuration (the master and its services). */
function processesOf(dir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(dir) && !line.includes('ps -eo'));
}

it('leaves no Dovecot process behind when stopped', async () => {
  const dovecot = await startDovecot();
  const pid = Number((await readFile(path.join(dovecot.dir, 'run', 'master.pid'), 'utf8')).trim());
  expect(processesOf(dovecot.dir).length).toBeGreaterThan(0);
  await dovecot.stop();
  expect(processesOf(dovecot.dir)).toEqual([]);
  expect(() => process.kill(pid, 0)).toThrow();
});
