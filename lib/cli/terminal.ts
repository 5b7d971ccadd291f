import type { RunEvents } from '../core/events.js';
import { formatLogValues, formatSeconds, shortId } from './format.js';
import type { ProgressDisplay } from './progress.js';
import { safeText } from './safe-text.js';

/**
 * Live progress on stderr: each execution's start, log lines and end, indented by depth, and
 * progress bars for long transfers when stderr is a terminal.
 */
export function terminalEvents(print: (line: string) => void, progress?: ProgressDisplay): RunEvents {
  const time = () => new Date().toISOString().slice(11, 23);
  const write = (line: string) => (progress ? progress.log(safeText(line)) : print(line));
  return {
    onProgress(e) {
      progress?.update(e);
    },
    onStart(e) {
      if (e.depth === 0) write(`${time()}  ▶ flow ${e.name} (${e.execution_id})`);
      else
        write(
          `${time()}  ${'  '.repeat(e.depth)}▶ ${e.kind === 'task' ? `task ${e.type}` : 'flow'}${e.name !== e.type ? ` ${e.name}` : ''} ${shortId(e.execution_id)}`,
        );
    },
    onLog(e) {
      // Children running side by side interleave their lines: each says whose it is.
      const { time: t, text } = formatLogValues(e.entry);
      const who = e.depth === 0 ? '' : `[${e.name} ${shortId(e.execution_id)}] `;
      write(`${t}  ${'  '.repeat(e.depth)}  ${who}${text.replace(/\n/g, `\n${' '.repeat(14 + 2 * e.depth)}`)}`);
    },
    onEnd(e) {
      const mark = e.status === 'ENDED_SUCCESS' ? '✔' : e.status === 'ENDED_CANCELLED' ? '■' : '✖';
      const id = e.depth === 0 ? '' : ` ${shortId(e.execution_id)}`;
      write(
        `${time()}  ${'  '.repeat(e.depth)}${mark} ${e.kind} ${e.name}${id} ${e.status} in ${formatSeconds(e.duration)}${e.message ? `: ${e.message}` : ''}`,
      );
    },
  };
}
