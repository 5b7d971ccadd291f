import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunResources } from '../core/resources.js';
import type { Redactor } from '../core/redact/redactor.js';
import type { Grant } from './grants.js';
import { GrantError, requestToken, vaultKey, type TokenSet } from './tokens.js';
import type { Vault } from './vault.js';

export interface AuthorizeContext {
  vault: Vault;
  redactor: Redactor;
  resources: RunResources;
  /** Tell the user what to open (the CLI prints to stderr). */
  say(line: string): void;
  /** Give up after this long. */
  timeoutMs: number;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/**
 * The authorization-code flow with PKCE (RFC 6749 §4.1, RFC 7636 S256) for a native client
 * (RFC 8252 §7.3): a one-shot callback server on 127.0.0.1 receives the code, which is exchanged
 * for tokens that are sealed into the vault. Resolves with the token set.
 */
export async function authorizationCodeFlow(grant: Grant, ctx: AuthorizeContext): Promise<TokenSet> {
  if (grant.type !== 'authorization_code' || !grant.authorizeUrl) {
    throw new GrantError(
      `grant "${grant.name}" is a ${grant.type} grant; only authorization_code grants are authorized in a browser (client credentials need no authorization)`,
    );
  }
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  ctx.redactor.addSecret(verifier);
  let settle!: { resolve: (tokens: TokenSet) => void; reject: (error: unknown) => void };
  const done = new Promise<TokenSet>((resolve, reject) => (settle = { resolve, reject }));
  let redirectUri = '';
  let handled = false;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== grant.redirectPath || handled) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const page = (status: number, text: string) =>
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>flow_api</title><p>${text}</p>`);
    const error = url.searchParams.get('error');
    if (url.searchParams.get('state') !== state) {
      page(400, 'This answer does not belong to the authorization that flow started (state mismatch).');
      return;
    }
    handled = true;
    if (error) {
      page(400, `Authorization failed: ${escapeHtml(error)}.`);
      const description = url.searchParams.get('error_description');
      settle.reject(new GrantError(`grant "${grant.name}": the authorization server answered ${error}${description ? ` (${description})` : ''}`));
      return;
    }
    const code = url.searchParams.get('code');
    if (!code) {
      page(400, 'The redirect carried no authorization code.');
      settle.reject(new GrantError(`grant "${grant.name}": the redirect to ${redirectUri} carried no "code"`));
      return;
    }
    ctx.redactor.addSecret(code);
    requestToken(grant, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }, ctx)
      .then((tokens) => {
        ctx.vault.set(vaultKey(grant.name), tokens);
        page(200, `Grant "${escapeHtml(grant.name)}" is authorized. You can close this window.`);
        settle.resolve(tokens);
      })
      .catch((failure: unknown) => {
        page(502, 'The authorization code could not be exchanged for a token; see the terminal.');
        settle.reject(failure);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new GrantError(`grant "${grant.name}": cannot listen on 127.0.0.1:${grant.redirectPort} for the redirect: ${error.code ?? error.message}`)),
    );
    server.listen(grant.redirectPort, '127.0.0.1', resolve);
  });
  const timer = setTimeout(
    () => settle.reject(new GrantError(`grant "${grant.name}": no redirect arrived within ${ctx.timeoutMs / 1000} s; run the command again`)),
    ctx.timeoutMs,
  );
  try {
    redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${grant.redirectPath}`;
    const authorize = new URL(grant.authorizeUrl);
    const params: Record<string, string> = {
      ...grant.authorizeParams,
      response_type: 'code',
      client_id: grant.clientId,
      redirect_uri: redirectUri,
      state,
      code_challenge: base64url(createHash('sha256').update(verifier).digest()),
      code_challenge_method: 'S256',
      ...(grant.scope ? { scope: grant.scope } : {}),
    };
    for (const [key, value] of Object.entries(params)) authorize.searchParams.set(key, value);
    ctx.say(`To authorize grant "${grant.name}", open this URL in a browser:\n\n  ${authorize.href}\n\nWaiting for the redirect to ${redirectUri} ...`);
    return await done;
  } finally {
    clearTimeout(timer);
    server.close();
    server.closeIdleConnections();
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
