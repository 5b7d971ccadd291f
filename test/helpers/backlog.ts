import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/**
 * A TCP listener whose accept queue is full, so new connections hang in SYN-SENT: the only
 * reliable way to test a TCP connect timeout on loopback. Node always accepts, so a tiny python3
 * process (on every machine of this project) listens with backlog 0 and never accepts; one
 * filler connection takes the only queue slot.
 */
export async function fullBacklogPort(): Promise<{ port: number; close(): void }> {
  const child: ChildProcess = spawn(
    'python3',
    [
      '-c',
      [
        'import socket, sys, time',
        's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)',
        'print(s.getsockname()[1], flush=True)',
        'time.sleep(60)',
      ].join('\n'),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('error', reject);
  });
  const filler = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => filler.once('connect', resolve).once('error', reject));
  return {
    port,
    close() {
      filler.destroy();
      child.kill();
    },
  };
}
