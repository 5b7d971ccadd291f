/**
 * The REST task's defaults (Cloudomation's, for the inputs it has): one constant read by the
 * code, by `flow describe REST`, and by the generated types' `@default` tags.
 */
export const REST_DEFAULTS = {
  scheme: 'https',
  method: 'get',
  expected_status_code: [200, 201, 202, 204],
  retry_status_code: [502, 503, 504],
  retry_backoff: { initial: 1, maximum: 60, multiplier: 2, deadline: 600 },
  connect_timeout: null,
  read_timeout: null,
  total_timeout: null,
  allow_redirects: true,
  max_redirects: 10,
  verify_ssl: true,
  response_type: 'auto',
  overwrite: false,
  max_content_length: 10 * 1024 * 1024,
  debug: false,
  pass_user_token: false,
} as const;

/** Methods and whether they may carry a body (as in Cloudomation). */
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type Method = (typeof METHODS)[number];
export const BODY_METHODS: ReadonlySet<Method> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** RFC 9110 §9.2.2: repeating these has the same effect as sending once, so a reset may be retried. */
export const IDEMPOTENT_METHODS: ReadonlySet<Method> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
