import { createHash } from 'node:crypto';
import { startServer, sendJson, type TestServer } from './server.js';

export interface OAuthServer extends TestServer {
  /** Token requests by grant_type. */
  tokenRequests: URLSearchParams[];
  /** Access tokens the API accepts (the latest of each kind). */
  valid: Set<string>;
  /** Seconds until expiry of issued access tokens. */
  expiresIn: number;
  /** Make the token endpoint fail with this status and body. */
  failWith: { status: number; body: unknown } | undefined;
}

/**
 * A token endpoint (`/token`: client_credentials, authorization_code with PKCE S256,
 * refresh_token), an authorization endpoint (`/authorize`, answering at once with a redirect, as a
 * signed-in user's browser would see it) and an API (`/api/...`) that wants a valid bearer token.
 */
export async function startOAuthServer(client = { id: 'flow-client', secret: 'client-secret-9f8e7d' }): Promise<OAuthServer> {
  let issued = 0;
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const refreshTokens = new Set<string>();
  const state: Pick<OAuthServer, 'tokenRequests' | 'valid' | 'expiresIn' | 'failWith'> = {
    tokenRequests: [],
    valid: new Set(),
    expiresIn: 3600,
    failWith: undefined,
  };
  const server = await startServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/authorize') {
      const code = `code-${++issued}`;
      codes.set(code, { challenge: url.searchParams.get('code_challenge')!, redirectUri: url.searchParams.get('redirect_uri')! });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state')!);
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/token') {
      const form = new URLSearchParams(req.body.toString());
      self.tokenRequests.push(form);
      if (self.failWith) return sendJson(res, self.failWith.status, self.failWith.body);
      const basic = req.headers.authorization?.startsWith('Basic ')
        ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString().split(':').map(decodeURIComponent)
        : [form.get('client_id'), form.get('client_secret')];
      if (basic[0] !== client.id || basic[1] !== client.secret)
        return sendJson(res, 401, { error: 'invalid_client', error_description: 'bad client credentials' });
      const grantType = form.get('grant_type');
      if (grantType === 'authorization_code') {
        const pending = codes.get(form.get('code') ?? '');
        const challenge = createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest('base64url');
        if (!pending || pending.challenge !== challenge || pending.redirectUri !== form.get('redirect_uri'))
          return sendJson(res, 400, { error: 'invalid_grant' });
        codes.delete(form.get('code')!);
      } else if (grantType === 'refresh_token') {
        if (!refreshTokens.has(form.get('refresh_token') ?? ''))
          return sendJson(res, 400, { error: 'invalid_grant', error_description: 'unknown refresh token' });
      } else if (grantType !== 'client_credentials') {
        return sendJson(res, 400, { error: 'unsupported_grant_type' });
      }
      const access = `access-token-${++issued}-${grantType}`;
      self.valid.add(access);
      const body: Record<string, unknown> = { access_token: access, token_type: 'Bearer', expires_in: self.expiresIn };
      if (grantType !== 'client_credentials') {
        const refresh = `refresh-token-${issued}`;
        refreshTokens.add(refresh);
        body.refresh_token = refresh;
      }
      return sendJson(res, 200, body);
    }
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (!token || !self.valid.has(token)) return sendJson(res, 401, { error: 'invalid_token' });
    sendJson(res, 200, { ok: true, path: url.pathname });
  });
  // The handler reads the returned object (declared below, read only once requests come), so a
  // test can change expiresIn and failWith on it.
  const self: OAuthServer = Object.assign(server, state);
  return self;
}
