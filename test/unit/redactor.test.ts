import { expect } from 'chai';
import { Redactor } from '../helpers/lib.js';

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
});
