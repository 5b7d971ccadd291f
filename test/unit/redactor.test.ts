import { expect } from 'chai';
import { Redactor } from '../helpers/lib.js';
import { toJsonValue } from '../../lib/util/json.js';

describe('redaction', () => {
  it('masks values under secret names and remembers them for any text', () => {
    const redactor = new Redactor();
    const masked = redactor.maskValue({
      headers: { Authorization: 'Bearer tok-123456', Accept: 'json' },
      password: 'hunter22',
      nested: [{ api_key: 'k-98765' }],
    });
    expect(masked).to.deep.equal({ headers: { Authorization: '***', Accept: 'json' }, password: '***', nested: [{ api_key: '***' }] });
    expect(redactor.maskText('sent tok-123456 and hunter22 and k-98765')).to.equal('sent *** and *** and ***');
  });

  it('masks URL passwords and secret-named query parameters', () => {
    const redactor = new Redactor();
    expect(redactor.maskUrl('https://user:pa55word@h.test/x?api_key=abcd1234&q=ok')).to.equal('https://user:***@h.test/x?api_key=***&q=ok');
    expect(redactor.maskText('retry with abcd1234')).to.equal('retry with ***');
  });

  it('masks each cookie value of a Cookie header', () => {
    const redactor = new Redactor();
    redactor.addCredentialHeader('Cookie', 'session=s3cr3tvalue; theme=dark');
    expect(redactor.maskText('session=s3cr3tvalue')).to.equal('session=***');
  });

  it('leaves very short values alone inside free text (they are masked as whole values only)', () => {
    const redactor = new Redactor();
    redactor.addSecret('ab');
    expect(redactor.maskText('a cab')).to.equal('a cab');
    expect(redactor.maskText('ab')).to.equal('***');
  });

  it('serialize() gives in one pass what maskValue(toJsonValue(x)) gives in two', () => {
    const redactor = new Redactor();
    redactor.addSecret('known-secret-1');
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const samples: unknown[] = [
      {
        status_code: 200,
        headers: { authorization: 'Bearer abc-def', 'x-trace': 'known-secret-1 inside', 'set-cookie': ['sid=s3ss10n-x'] },
        json: { items: [{ id: 1, password: 'pw-12345', url: 'https://u:pass-word@h/x?token=t0k3n-1&q=1' }], nested: { api_key: { deep: 'dv-8888' } } },
        binary: Buffer.from('bytes'),
        when: new Date('2026-01-02T03:04:05Z'),
        big: 10n,
        nan: Number.NaN,
        fn: function named() {},
        list: [1, undefined, 'x'],
        gone: undefined,
        map: new Map([['a', 1]]),
        set: new Set([2]),
        error: new Error('boom'),
        ref: { token: { secret: 'NAME' } },
      },
      'plain known-secret-1 text',
      cyclic,
    ];
    const fresh = () => {
      const r = new Redactor();
      r.addSecret('known-secret-1');
      return r;
    };
    for (const sample of samples) {
      expect(fresh().serialize(sample)).to.equal(JSON.stringify(fresh().maskValue(toJsonValue(sample))));
    }
    expect(redactor.serialize({ a: { password: 'pw-abcdef' } })).to.equal('{"a":{"password":"***"}}');
    expect(redactor.maskText('later: pw-abcdef')).to.equal('later: ***');
  });
});

describe('redaction: every form a secret takes', () => {
  const SECRET = 'my secret/pass!';

  it('masks a secret form-encoded in a query, path-encoded in a URL and JSON-escaped in a body', () => {
    const redactor = new Redactor();
    redactor.addSecret(SECRET);
    const url = new URL('http://h.test/x');
    url.searchParams.set('k', SECRET);
    expect(url.href).to.include('k=my+secret%2Fpass%21');
    expect(redactor.maskText(url.href)).to.equal('http://h.test/x?k=***');
    expect(redactor.maskText(new URL(`http://h.test/a/${SECRET}`).href)).to.equal('http://h.test/a/***');
    expect(redactor.maskText(`?k=${encodeURIComponent(SECRET)}`)).to.equal('?k=***');
    const quoted = new Redactor();
    quoted.addSecret('quo"te\\back');
    expect(quoted.maskText(JSON.stringify({ password2: 'quo"te\\back' }))).to.equal('{"password2":"***"}');
    const backslash = new Redactor();
    backslash.addSecret('back\\slash');
    expect(backslash.maskText(new URL('http://h.test/back\\slash').href)).to.equal('http://h.test/***');
  });

  it('masks basic credentials in base64 and decoded, and proxy user:password pairs', () => {
    const redactor = new Redactor();
    const header = `Basic ${Buffer.from('ada:pa ss:word').toString('base64')}`;
    redactor.addCredentialHeader('Authorization', header);
    expect(redactor.maskText(`sent ${header}`)).to.equal('sent ***');
    expect(redactor.maskText('the password pa ss:word')).to.equal('the password ***');
    expect(redactor.maskText(Buffer.from('ada:pa ss:word').toString('base64'))).to.equal('***');
    const proxy = new Redactor();
    proxy.addUserPassword('px', 'prox-pw');
    expect(proxy.maskText(`Proxy-Authorization: Basic ${Buffer.from('px:prox-pw').toString('base64')}`)).to.equal('Proxy-Authorization: Basic ***');
  });

  it('masks short secrets where they are whole values: headers, params, cookies, JSON strings, form fields', () => {
    const redactor = new Redactor();
    redactor.addSecret('ab');
    expect(redactor.maskValue({ headers: { 'X-Key': 'ab', Accept: 'a cab' }, cookies: { c: 'ab' }, json: { v: 'ab', w: 'abc' } })).to.deep.equal({
      headers: { 'X-Key': '***', Accept: 'a cab' },
      cookies: { c: '***' },
      json: { v: '***', w: 'abc' },
    });
    expect(redactor.maskUrl('http://h.test/x?k=ab&other=abab')).to.equal('http://h.test/x?k=***&other=abab');
    expect(redactor.maskText('{"k":"ab","l":"cab"}')).to.equal('{"k":"***","l":"cab"}');
    expect(redactor.maskText('k=ab&l=cab&m=ab')).to.equal('k=***&l=cab&m=***');
    expect(redactor.maskText('a cab')).to.equal('a cab');
  });

  it('records a response nested 5000 levels deep: the deep part becomes a note, nothing overflows', () => {
    const deep = JSON.parse(`${'['.repeat(5000)}"x"${']'.repeat(5000)}`) as unknown;
    const redactor = new Redactor();
    const text = redactor.serialize({ json: deep });
    expect(text.length).to.be.lessThan(5000);
    expect(text).to.include('[nested deeper than 512 levels: not recorded]');
    expect(() => JSON.parse(text)).not.to.throw();
    expect(JSON.stringify(redactor.maskValue(deep))).to.include('nested deeper than');
  });

  it('both paths agree at the depth bound', () => {
    const at = (n: number) => JSON.parse(`${'['.repeat(n)}1${']'.repeat(n)}`) as unknown;
    for (const n of [511, 512, 513]) {
      const redactor = new Redactor();
      expect(redactor.serialize(at(n))).to.equal(JSON.stringify(redactor.maskValue(at(n))));
    }
  });
});

describe('the cheap look for secret names', () => {
  it('finds a word of every secret name and suffix, so the slow pattern is skipped only where it could not match', async () => {
    const { NAME_WORDS, SECRET_NAMES, SECRET_SUFFIXES, mayHoldNamedSecret } = await import('../../lib/core/redact/names.js');
    for (const name of [...SECRET_NAMES, ...SECRET_SUFFIXES.map((s) => `my${s}`)]) {
      expect(NAME_WORDS.test(`"${name}"`), name).to.equal(true);
      expect(mayHoldNamedSecret(`{"${name}":"v"}`), name).to.equal(true);
      expect(mayHoldNamedSecret(`{"${name.replaceAll('_', '-').toUpperCase()}":"v"}`), name).to.equal(true);
    }
    expect(mayHoldNamedSecret('https://user:pw@example.com/')).to.equal(true);
    expect(mayHoldNamedSecret('{"ok":true,"id":7,"name":"flow_api benchmark","tags":["a","b"]}')).to.equal(false);
    // The REST outputs' own "cookies" key is not the secret "cookie" header.
    expect(mayHoldNamedSecret('{"cookies":{},"headers":{"connection":"keep-alive"}}')).to.equal(false);
    expect(mayHoldNamedSecret('https://api.example.com/items?cookie=abc')).to.equal(true);
  });
});

describe('Redactor.serializePlain', () => {
  it('masks what serialize masks: a secret with a backslash or a quote, escaped again inside a JSON string value', async () => {
    const { Redactor } = await import('../../lib/core/redact/redactor.js');
    for (const secret of ['q😀R\\x!z3u', 'say "hi" now', 'tab\there-x', 'plain-secret-1']) {
      const redactor = new Redactor();
      redactor.addSecret(secret);
      // A body echoing the secret as JSON: the text output holds it JSON-escaped once, the record twice.
      for (const outputs of [{ text: JSON.stringify({ note: secret }) }, { text: 'x', nested: { list: [secret] }, ok: true }]) {
        const plain = redactor.serializePlain(outputs);
        expect(plain, secret).to.equal(redactor.serialize(outputs));
        const back = JSON.parse(plain) as { text: string; nested?: { list: string[] } };
        expect(back.text.includes(secret) || back.text.includes(JSON.stringify(secret).slice(1, -1)), secret).to.equal(false);
        expect(back.nested?.list[0] ?? '***', secret).to.equal('***');
      }
    }
  });

  it('is the native serialization when there is nothing to mask', async () => {
    const { Redactor } = await import('../../lib/core/redact/redactor.js');
    const redactor = new Redactor();
    redactor.addSecret('not-in-there-9f');
    const outputs = { status_code: 200, headers: { 'content-type': 'application/json' }, text: '{"ok":true}', cookies: {} };
    expect(redactor.serializePlain(outputs)).to.equal(JSON.stringify(outputs));
  });
});
