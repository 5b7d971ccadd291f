import type { TaskContext } from '../../core/task-definition.js';
import { agentPool } from '../../http/agents.js';
import type { OpenResponse, WireRequest } from '../../http/exchange.js';
import { classify, TotalTimeoutSignal } from './classify.js';
import type { AttemptFailure } from './errors.js';
import { GRANT_TOKENS } from './grant-tokens.js';
import type { RestAttempt } from './inputs.js';
import type { RestRequest } from './normalize.js';
import { failedHop, sendFollowingRedirects, type SendContext } from './redirects.js';

/**
 * One REST task as it runs: its tries, its time budget (`total_timeout`, read on the run's
 * clock) and how it sends. The stages (tries, retries, outputs) share it.
 */
export class RestRun {
  readonly label: string;
  readonly attempts: RestAttempt[] = [];
  /** When the first try started, on the run's clock. */
  readonly firstTry: number;
  /** The final try's request, for the `request` output (described once, at the end). */
  lastRequest: WireRequest | undefined;
  /** Said in the task's message when the server's Retry-After ended the retries. */
  stopNote = '';
  #renewedToken = false;
  readonly #send: SendContext;
  readonly #total: AbortController | undefined;
  readonly #signal: AbortSignal;

  constructor(
    readonly request: RestRequest,
    readonly ctx: TaskContext,
  ) {
    this.label = `${request.method} ${this.maskUrl(request.url.href)}`;
    this.firstTry = ctx.clock.now();
    // total_timeout, when set, aborts everything below; without it the task's own signal suffices
    // (one controller and one AbortSignal.any fewer per task: they show in throughput profiles).
    this.#total = request.timeouts.total === null ? undefined : new AbortController();
    this.#signal = this.#total ? AbortSignal.any([ctx.signal, this.#total.signal]) : ctx.signal;
    this.#send = {
      pool: agentPool(ctx.resources, ctx.network),
      signal: this.#signal,
      onProgress: ctx.progress,
      log: (line) => ctx.log(line),
      maskUrl: (url) => this.maskUrl(url),
      holdsSecret: (value) => ctx.redactor.maskText(value) !== value,
    };
  }

  get signal(): AbortSignal {
    return this.#signal;
  }

  maskUrl(url: string): string {
    return this.ctx.redactor.maskUrl(url);
  }

  /** Seconds since the first try, on the run's clock (a virtual clock counts the skipped delays). */
  elapsedMs(): number {
    return this.ctx.clock.now() - this.firstTry;
  }

  /** What is left of `total_timeout` (Infinity without one); at zero, the task fails with it. */
  remainingMs(): number {
    const total = this.request.timeouts.total;
    return total === null ? Infinity : total - this.elapsedMs();
  }

  /**
   * Run a try under the time left of `total_timeout`: a real timer bounds the request in flight
   * (sockets live in real time), while what the delays used is read on the run's clock.
   */
  async withinTotal<T>(work: () => Promise<T>): Promise<T> {
    const total = this.#total;
    if (!total) return work();
    const remaining = this.remainingMs();
    if (remaining <= 0) throw new TotalTimeoutSignal(this.request.timeouts.total!);
    const timer = setTimeout(() => total.abort(new TotalTimeoutSignal(this.request.timeouts.total!)), remaining);
    try {
      return await work();
    } finally {
      clearTimeout(timer);
    }
  }

  /** One exchange; with a grant, its current token, renewed once (and the request repeated) on a 401. */
  async send(): Promise<OpenResponse> {
    const { request, ctx } = this;
    if (request.grant === undefined) return sendFollowingRedirects(request, this.#send);
    const grant = request.grant;
    const tokens = ctx.resources.service(GRANT_TOKENS)!;
    const withToken = async (rejected?: string) => {
      const token = await tokens.accessToken(grant, { rejected, signal: this.#signal, log: (line) => ctx.log(line) });
      const headers = request.headers.clone();
      headers.set('Authorization', `Bearer ${token}`);
      return { token, open: await sendFollowingRedirects({ ...request, headers }, this.#send) };
    };
    const first = await withToken();
    if (first.open.status !== 401 || this.#renewedToken || request.expected.has(401)) return first.open;
    this.#renewedToken = true;
    ctx.log(`${this.label} → 401 with grant "${grant}"'s token: renewing the token and sending once more`);
    await first.open.discard();
    return (await withToken(first.token)).open;
  }

  /** Why a try failed, naming the host it failed at (after a redirect, not the first one). */
  classify(error: unknown): AttemptFailure {
    const hop = typeof error === 'object' && error !== null ? failedHop.get(error) : undefined;
    const failure = classify(this.#signal.aborted ? this.#signal.reason : error, hop ?? this.request.url, this.request);
    if (hop) {
      failure.reason += ` (after a redirect to ${this.maskUrl(hop.href)})`;
      failure.error.message = failure.reason;
    }
    return failure;
  }

  /** ` (after 3 tries over 7.2 s)`, for messages; empty after one try. */
  triesNote(): string {
    const tries = this.attempts.at(-1)?.attempt ?? 0;
    return tries > 1 ? ` (after ${tries} tries over ${Math.round(this.elapsedMs()) / 1000} s)` : '';
  }
}
