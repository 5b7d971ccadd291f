import cliProgress from 'cli-progress';
import { safeText } from './safe-text.js';
import type { TransferProgress } from '../core/task-definition.js';

/** Transfers shorter than this never get a bar: a bar that flashes for 200 ms is noise. */
const SHOW_AFTER_MS = 1000;

interface Transfer {
  startedAt: number;
  name: string;
  direction: TransferProgress['direction'];
  bytes: number;
  total: number | undefined;
  bar?: cliProgress.SingleBar;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/**
 * Progress bars for uploads and downloads on stderr (bytes, rate, ETA), drawn with cli-progress;
 * only on a terminal and only for transfers lasting more than a second. Log lines printed while
 * bars are shown go above them.
 */
export class ProgressDisplay {
  readonly #transfers = new Map<string, Transfer>();
  #multibar: cliProgress.MultiBar | undefined;

  constructor(
    readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    readonly now: () => number = () => performance.now(),
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(event: { execution_id: string; name: string } & TransferProgress): void {
    if (!this.enabled) return;
    const key = `${event.execution_id}:${event.direction}`;
    let transfer = this.#transfers.get(key);
    if (!transfer) {
      transfer = { startedAt: this.now(), name: safeText(event.name), direction: event.direction, bytes: 0, total: undefined };
      this.#transfers.set(key, transfer);
    }
    transfer.bytes = event.bytes;
    transfer.total = event.total;
    if (!transfer.bar && !event.done && this.now() - transfer.startedAt >= SHOW_AFTER_MS) {
      transfer.bar = this.#bars().create(event.total ?? event.bytes, event.bytes, { transfer });
    }
    transfer.bar?.setTotal(event.total ?? Math.max(event.bytes, 1));
    transfer.bar?.update(event.bytes, { transfer });
    // Reports come at most every 100 ms, so redraw on each rather than on cli-progress's own timer.
    if (transfer.bar) this.#multibar?.update();
    if (event.done) {
      if (transfer.bar) {
        transfer.bar.update(event.bytes, { transfer });
        this.#multibar?.remove(transfer.bar);
        this.#multibar?.log(`${this.#line(transfer)}\n`);
      }
      this.#transfers.delete(key);
      if (![...this.#transfers.values()].some((t) => t.bar)) this.stop();
    }
  }

  /** Print a line, above the bars if any are shown. */
  log(line: string): void {
    if (this.#multibar) this.#multibar.log(`${line}\n`);
    else this.stream.write(`${line}\n`);
  }

  stop(): void {
    // cli-progress prints buffered log lines on its next redraw; draw once so none is lost.
    this.#multibar?.update();
    this.#multibar?.stop();
    this.#multibar = undefined;
  }

  #bars(): cliProgress.MultiBar {
    this.#multibar ??= new cliProgress.MultiBar(
      {
        stream: this.stream as NodeJS.WritableStream,
        format: (options, params, payload: { transfer: Transfer }) => this.#line(payload.transfer, cliProgress.Format.BarFormat(params.progress, options)),
        hideCursor: true,
        // The run command handles SIGINT itself (it cancels the flow); cli-progress must not exit.
        gracefulExit: false,
        clearOnComplete: false,
        noTTYOutput: false,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    return this.#multibar;
  }

  #line(t: Transfer, bar?: string): string {
    const seconds = Math.max((this.now() - t.startedAt) / 1000, 0.001);
    const rate = t.bytes / seconds;
    const size = t.total === undefined ? formatBytes(t.bytes) : `${formatBytes(t.bytes)}/${formatBytes(t.total)}`;
    const eta = t.total !== undefined && rate > 0 && t.bytes < t.total ? ` ETA ${Math.ceil((t.total - t.bytes) / rate)} s` : '';
    const percent = t.total ? ` ${Math.floor((t.bytes / t.total) * 100)}%` : '';
    return `${t.direction === 'upload' ? '↑' : '↓'} ${t.name}${bar ? ` ${bar}` : ''}${percent} ${size} ${formatBytes(rate)}/s${bar ? eta : ` in ${seconds.toFixed(1)} s`}`;
  }
}
