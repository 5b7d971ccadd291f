import { Writable } from 'node:stream';
import { expect } from 'chai';
import { ProgressDisplay, formatBytes } from '../../lib/cli/progress.js';

/** A stream that says it is a terminal and keeps what is written. */
function fakeTerminal(isTTY: boolean) {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, callback) {
        text += chunk.toString();
        callback();
      },
    }),
    { isTTY, columns: 120, rows: 40, cursorTo: () => true, clearLine: () => true, moveCursor: () => true, clearScreenDown: () => true },
  );
  return { stream, text: () => text };
}

describe('CLI progress bars', () => {
  const event = (bytes: number, done = false) => ({
    execution_id: 'e1',
    name: 'download export',
    direction: 'download' as const,
    bytes,
    total: 100 << 20,
    done,
  });

  it('shows bytes, percentage, rate and ETA once a transfer has run for a second', () => {
    let now = 0;
    const terminal = fakeTerminal(true);
    const display = new ProgressDisplay(terminal.stream, () => now);
    display.update(event(1 << 20));
    now = 500;
    display.update(event(10 << 20));
    expect(terminal.text()).to.equal('');
    now = 2000;
    display.update(event(40 << 20));
    now = 4000;
    display.update(event(100 << 20, true));
    display.stop();
    expect(terminal.text()).to.include('↓ download export');
    expect(terminal.text()).to.include('40% 40.0 MiB/100.0 MiB 20.0 MiB/s ETA 3 s');
    expect(terminal.text()).to.include('100.0 MiB/100.0 MiB 25.0 MiB/s in 4.0 s');
  });

  it('draws nothing for transfers under a second', () => {
    let now = 0;
    const terminal = fakeTerminal(true);
    const display = new ProgressDisplay(terminal.stream, () => now);
    display.update(event(1));
    now = 300;
    display.update(event(100 << 20, true));
    expect(terminal.text()).to.equal('');
  });

  it('draws nothing when stderr is not a terminal', () => {
    let now = 0;
    const terminal = fakeTerminal(false);
    const display = new ProgressDisplay(terminal.stream, () => now);
    display.update(event(1));
    now = 5000;
    display.update(event(50 << 20));
    expect(display.enabled).to.equal(false);
    expect(terminal.text()).to.equal('');
  });

  it('formats byte counts', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(5 * 2 ** 30)]).to.deep.equal(['512 B', '1.5 KiB', '5.0 GiB']);
  });
});
