/**
 * Names whose values are secret, compared after lower-casing and turning `-` into `_`:
 * credentials headers (RFC 9110 §11.6.2, RFC 6265) and the usual parameter names.
 */
export const SECRET_NAMES: ReadonlySet<string> = new Set([
  'authorization',
  'proxy_authorization',
  'cookie',
  'set_cookie',
  'password',
  'passwd',
  'pwd',
  'secret',
  'client_secret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'apikey',
  'x_api_key',
  'private_key',
  'client_key',
  'passphrase',
  'auth_token',
  'session_token',
  'sessionid',
  'session_id',
]);
export const SECRET_SUFFIXES = ['_password', '_secret', '_token', '_api_key', '_apikey'];

/** Answers by name: records repeat the same few keys thousands of times. */
const secretNameCache = new Map<string, boolean>();

/** Whether an input, header or query parameter of this name holds a secret. */
export function isSecretName(name: string): boolean {
  let answer = secretNameCache.get(name);
  if (answer === undefined) {
    const key = name.toLowerCase().replaceAll('-', '_');
    answer = SECRET_NAMES.has(key) || SECRET_SUFFIXES.some((suffix) => key.endsWith(suffix));
    if (secretNameCache.size < 10_000) secretNameCache.set(name, answer);
  }
  return answer;
}

/** A secret name as a pattern: case-insensitive, `-` and `_` alike. */
const NAME_PATTERN = `(?:${[...SECRET_NAMES].map((n) => n.replaceAll('_', '[-_]')).join('|')}|[^"&=?\\s]*(?:${SECRET_SUFFIXES.map((s) => s.replaceAll('_', '[-_]')).join('|')}))`;

/** The full pattern, run only where the cheap one below finds a reason to. */
const NAMED_SECRET = new RegExp(`"${NAME_PATTERN}"\\s*:|[?&]${NAME_PATTERN}=|[a-z][a-z0-9+.-]*://[^/\\s"@]*@`, 'i');

/**
 * Every secret name contains one of these words (`*_token` contains "token", `x-api-key` "key", the cookie names end the key,
 * `sessionid` "session"), and a URL password needs an `@`: a text with none of them cannot match
 * {@link NAMED_SECRET}, whose suffix alternatives make it slow over long text.
 */
export const NAME_WORDS = /auth|cookie["=]|pass|pwd|secret|token|key|session|@/i;

/**
 * Whether a JSON or URL text may hold a value that masking by name would change: a JSON key
 * with a secret name (`"password":`), a query parameter with one (`?token=`), or a URL with a
 * password (`https://user:pw@`). A cheap test over the text, so large bodies are only walked
 * when it finds something (it may say yes too often, never too rarely for plain keys).
 */
export function mayHoldNamedSecret(text: string): boolean {
  return NAME_WORDS.test(text) && NAMED_SECRET.test(text);
}
