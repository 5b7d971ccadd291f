import type { RunResources } from '../core/resources.js';
import type { Redactor } from '../core/redact/redactor.js';
import { TaskError } from '../model/errors.js';
import type { NetworkPolicy } from '../model/network.js';
import { agentPool } from '../http/agents.js';
import { requestText, type TextResponse } from '../http/request.js';
import type { GrantTokenSource } from '../tasks/rest/grant-tokens.js';
import type { Grant, Grants } from './grants.js';
import type { Vault } from './vault.js';

/** A grant's token set as kept (sealed) in the store. */
export interface TokenSet {
  access_token: string;
  token_type: string;
  /** Epoch milliseconds, or null when the server gave no `expires_in`. */
  expires_at: number | null;
  refresh_token?: string;
  /** The client the tokens belong to: a changed client id makes them stale. */
  client_id: string;
}

/** A token endpoint refused, failed or answered nonsense. Never carries a secret (messages are masked). */
export class GrantError extends TaskError {
  override name = 'GrantError';
  override readonly code = 'ERR_GRANT';
}

/** Tokens are renewed this long before they expire, so a request never leaves with a dying token. */
const EXPIRY_MARGIN_MS = 60_000;
const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

export const vaultKey = (grant: string) => `grant:${grant}`;

/**
 * The OAuth 2.0 tokens of a run's grants: cached in the store (sealed) until shortly before they
 * expire, requested once however many tasks ask at the same time, renewed once when a server
 * answers 401 to the current token.
 */
export class GrantTokens implements GrantTokenSource {
  readonly #pending = new Map<string, Promise<TokenSet>>();
  readonly #known = new Map<string, TokenSet>();

  constructor(
    readonly grants: Grants,
    readonly vault: Vault,
    readonly redactor: Redactor,
    readonly resources: RunResources,
    readonly network?: NetworkPolicy,
  ) {}

  /** Throws a `ConfigError` naming the grant when it is not configured, or badly. */
  check(name: string): void {
    this.grants.get(name);
  }

  /**
   * A valid access token for the grant. `rejected`: the token a server just answered 401 to;
   * a new one is fetched unless another task has already replaced it.
   */
  async accessToken(name: string, options: { rejected?: string; signal?: AbortSignal; log?: (line: string) => void } = {}): Promise<string> {
    const grant = this.grants.get(name);
    const pending = this.#pending.get(name);
    if (pending) return (await pending).access_token;
    // The run's own copy first: the store (and its decryption) is read once per grant per run.
    let cached = this.#known.get(name);
    if (!cached) {
      cached = this.vault.get<TokenSet>(vaultKey(name));
      if (cached) this.#known.set(name, cached);
    }
    // Tokens of another client id (the grant was reconfigured) are as good as none.
    const mine = cached?.client_id === grant.clientId ? cached : undefined;
    if (mine) {
      this.#register(mine);
      if (mine.access_token !== options.rejected && !expiring(mine)) return mine.access_token;
    }
    const request = this.#renew(grant, mine, options)
      .then((tokens) => {
        this.#known.set(name, tokens);
        return tokens;
      })
      .finally(() => this.#pending.delete(name));
    this.#pending.set(name, request);
    return (await request).access_token;
  }

  async #renew(grant: Grant, cached: TokenSet | undefined, options: { signal?: AbortSignal; log?: (line: string) => void }): Promise<TokenSet> {
    let fields: Record<string, string>;
    if (grant.type === 'client_credentials') {
      fields = { grant_type: 'client_credentials', ...(grant.scope ? { scope: grant.scope } : {}) };
    } else if (cached?.refresh_token) {
      fields = { grant_type: 'refresh_token', refresh_token: cached.refresh_token };
    } else {
      throw new GrantError(`grant "${grant.name}" has no refresh token yet; authorize it once with: npx flow grant authorize ${grant.name}`);
    }
    options.log?.(`grant "${grant.name}": requesting a token (${fields.grant_type}) from ${this.redactor.maskUrl(grant.tokenUrl.href)}`);
    const tokens = await requestToken(grant, fields, { redactor: this.redactor, resources: this.resources, network: this.network, signal: options.signal });
    // A refresh answer may omit the refresh token: the old one stays valid (RFC 6749 §6).
    if (!tokens.refresh_token && cached?.refresh_token) tokens.refresh_token = cached.refresh_token;
    this.vault.set(vaultKey(grant.name), tokens);
    return tokens;
  }

  #register(tokens: TokenSet): void {
    this.redactor.addSecret(tokens.access_token);
    this.redactor.addSecret(tokens.refresh_token);
  }
}

function expiring(tokens: TokenSet): boolean {
  return tokens.expires_at !== null && tokens.expires_at - EXPIRY_MARGIN_MS <= Date.now();
}

/**
 * POST a token request (RFC 6749 §4.1.3, §4.4.2, §6) and read its answer. The client secret,
 * the tokens and the refresh token are registered with the redactor before anything is logged.
 */
export async function requestToken(
  grant: Grant,
  fields: Record<string, string>,
  ctx: { redactor: Redactor; resources: RunResources; network?: NetworkPolicy | undefined; signal?: AbortSignal | undefined },
): Promise<TokenSet> {
  const { redactor } = ctx;
  redactor.addSecret(grant.clientSecret);
  redactor.addSecret(fields.refresh_token);
  redactor.addSecret(fields.code);
  redactor.addSecret(fields.code_verifier);
  const body = new URLSearchParams({ ...grant.params, ...fields });
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', ...grant.headers };
  if (grant.clientAuth === 'basic' && grant.clientSecret !== undefined) {
    // RFC 6749 §2.3.1: id and secret are form-encoded before being joined.
    const credentials = `${encodeURIComponent(grant.clientId)}:${encodeURIComponent(grant.clientSecret)}`;
    headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    redactor.addCredentialHeader('authorization', headers.Authorization);
  } else {
    body.set('client_id', grant.clientId);
    if (grant.clientSecret !== undefined) body.set('client_secret', grant.clientSecret);
  }
  const endpoint = `the token endpoint ${redactor.maskUrl(grant.tokenUrl.href)}`;
  const signals = [AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS), ...(ctx.signal ? [ctx.signal] : [])];
  let response: TextResponse;
  try {
    const pool = agentPool(ctx.resources, ctx.network);
    const agent = pool.for(grant.tokenUrl, { connectMs: null, verify: grant.verify, ca: grant.ca, proxy: pool.envProxy(grant.tokenUrl) });
    response = await requestText({
      url: grant.tokenUrl,
      method: 'POST',
      headers: Object.entries(headers),
      body: Buffer.from(body.toString()),
      agent,
      signal: AbortSignal.any(signals),
    });
  } catch (error) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    const code = (error as { code?: string }).code;
    const reason =
      (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError'
        ? `did not answer within ${TOKEN_REQUEST_TIMEOUT_MS / 1000} s`
        : `could not be reached: ${(error as Error).message}`;
    throw new GrantError(redactor.maskText(`grant "${grant.name}": ${endpoint} ${reason}${code && !reason.includes(code) ? ` (${code})` : ''}`));
  }
  const { text } = response;
  const ok = response.status >= 200 && response.status < 300;
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  for (const key of ['access_token', 'refresh_token', 'id_token']) if (typeof json?.[key] === 'string') redactor.addSecret(json[key] as string);
  if (!ok) {
    const detail =
      json && typeof json.error === 'string'
        ? `${json.error}${typeof json.error_description === 'string' ? ` (${json.error_description})` : ''}`
        : text.slice(0, 300).trim();
    throw new GrantError(
      redactor.maskText(`grant "${grant.name}": ${endpoint} returned ${response.status} ${response.statusText}${detail ? `: ${detail}` : ''}`),
    );
  }
  if (!json || typeof json.access_token !== 'string' || json.access_token === '') {
    throw new GrantError(
      redactor.maskText(
        `grant "${grant.name}": ${endpoint} answered ${response.status} without an "access_token" in a JSON object (content-type ${response.headers['content-type']?.[0] ?? 'none'})`,
      ),
    );
  }
  const expiresIn = Number(json.expires_in);
  return {
    access_token: json.access_token,
    token_type: typeof json.token_type === 'string' ? json.token_type : 'Bearer',
    expires_at: Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + expiresIn * 1000 : null,
    ...(typeof json.refresh_token === 'string' ? { refresh_token: json.refresh_token } : {}),
    client_id: grant.clientId,
  };
}
