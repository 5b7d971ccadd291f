import { expect } from 'chai';
import { Redactor } from '../helpers/lib.js';
import { toJsonValue } from '../../lib/util/json.js';

describe('redaction', () => {
  it('masks values under secret names and remembers them for any text', () => {
    const redactor = new Redactor();
    const masked = redactor.maskValue({ headers: { Authorization: 'Bearer tok-123456', Accept: 'json' }, password: 'hunter22', nested: [{ api_key: 'k-98765' }] });
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

  it('leaves very short values alone in free text (they are masked by name only)', () => {
    const redactor = new Redactor();
    redactor.addSecret('ab');
    expect(redactor.maskText('a cab')).to.equal('a cab');
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
        binary: Buffer.from('bytes'), when: new Date('2026-01-02T03:04:05Z'), big: 10n, nan: Number.NaN, fn: function named() {},
        list: [1, undefined, 'x'], gone: undefined, map: new Map([['a', 1]]), set: new Set([2]), error: new Error('boom'),
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
