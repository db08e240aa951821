/** What an agent reads of an email: the new part only, safe HTML, and machine mail recognised. */
import { simpleParser } from 'mailparser';
import { machineReason } from '../../../channels/email/machine';
import { newPart } from '../../../channels/email/quotes';
import { sanitizeHtml } from '../../../channels/email/sanitize';
import { fixture } from './mail-servers';

const values = {
  from: 'jane@example.test',
  to: 'support@example.test',
  messageId: 'm1@example.test',
  subject: 'Cracked screen',
  inReplyTo: '<a@example.test>',
  references: '<a@example.test>',
};
const parse = (name: string) =>
  simpleParser(fixture(name, values), { keepCidLinks: true, skipImageLinks: true });

describe('quote stripping', () => {
  it('keeps only the reply above a wrapped Gmail "On … wrote:" header', async () => {
    const mail = await parse('gmail-reply.eml');
    expect(newPart(mail.text ?? '').text).toBe('Thanks! The address is still Hauptstraße 5, Berlin.');
  });

  it('cuts Outlook\'s "From: … Sent: …" block and the "-- " signature', async () => {
    const mail = await parse('outlook-reply.eml');
    expect(newPart(mail.text ?? '').text).toBe(
      'Yes, please send it by express.\n\nBest regards\nJane Customer',
    );
  });

  it('cuts a Chinese "在 … 写道：" header from GB18030 mail', async () => {
    const mail = await parse('chinese-gb18030.eml');
    expect(mail.subject).toBe('订单退款问题');
    expect(newPart(mail.text ?? '').text).toBe(
      '你好，\n\n我上周申请的退款还没有到账，请帮忙查一下。\n\n谢谢！\n李雷',
    );
  });

  it('cuts a Chinese Outlook "发件人: … 发送时间: …" block', async () => {
    const mail = await parse('chinese-utf8.eml');
    expect(mail.subject).toBe('发票抬头需要修改');
    expect(newPart(mail.text ?? '').text).toBe('您好：\n\n请把发票抬头改为“北京示例科技有限公司”。');
  });

  it('cuts "-----Original Message-----", trailing ">" blocks and mobile sign-offs', () => {
    expect(newPart('Fine by me.\n\n-----Original Message-----\nFrom: a\nSent: b\n\nold').text).toBe(
      'Fine by me.',
    );
    expect(newPart('Agreed.\n\n> earlier\n> text\n').text).toBe('Agreed.');
    expect(newPart('OK thanks\n\nSent from my iPhone').text).toBe('OK thanks');
    expect(
      newPart('好的\n\n发自我的iPhone\n\n------------------ 原始邮件 ------------------\n发件人: x').text,
    ).toBe('好的');
  });

  it('keeps inline answers between quoted lines, and forwarded content whole', async () => {
    expect(newPart('> Which size?\nLarge.\n> Colour?\nBlue.').text).toBe(
      '> Which size?\nLarge.\n> Colour?\nBlue.',
    );
    const mail = await parse('forwarded.eml');
    const part = newPart(mail.text ?? '', mail.subject ?? null);
    expect(part.text).toContain('Please look at the mail below');
    expect(part.text).toContain('could not be delivered: address incomplete');
  });

  it('keeps the whole text when everything is quoted', () => {
    expect(newPart('On Mon, Jan 1, 2024 Bob wrote:\n> hi').text).toBe('On Mon, Jan 1, 2024 Bob wrote:\n> hi');
  });
});

describe('HTML sanitising', () => {
  it('removes scripts, handlers, javascript: links, frames, forms and remote loads', async () => {
    const mail = await parse('html-only.eml');
    const html = sanitizeHtml(mail.html || '');
    expect(html).toContain('The invoice total is <b>wrong</b>.');
    expect(html).toContain('href="https://example.test/invoice/7"');
    expect(html).toContain('style="color: red"');
    for (const bad of [
      'script',
      'alert',
      'onload',
      'onclick',
      'javascript:',
      'iframe',
      'tracker.example',
      'evil.example',
      '<input',
      'url(',
    ])
      expect(html).not.toContain(bad);
  });

  it('points inline cid: images at their stored copies and escapes text', () => {
    const html = sanitizeHtml(
      '<img src="cid:a@b" alt="x"><p>1 &lt; 2 &amp; "q"</p><a href=" JaVaScRiPt:x">y</a>',
      new Map([['a@b', '/attachments/1/t/a.png']]),
    );
    expect(html).toBe(
      '<img alt="x" src="/attachments/1/t/a.png"><p>1 &lt; 2 &amp; "q"</p><a target="_blank" rel="noopener noreferrer nofollow">y</a>',
    );
  });
});

describe('machine mail', () => {
  it.each([
    ['auto-reply.eml', /Auto-Submitted/],
    ['bounce.eml', /Auto-Submitted|null return path|delivery report/],
    ['newsletter.eml', /Precedence|mailing list/],
  ])('recognises %s', async (name, reason) => {
    expect(machineReason(await parse(name), null)).toMatch(reason);
  });

  it('recognises a bare delivery report from MAILER-DAEMON', async () => {
    const raw = fixture('bounce.eml', values)
      .replace(/^Auto-Submitted:.*\r\n/m, '')
      .replace(/^Return-Path:.*\r\n/m, '');
    expect(machineReason(await simpleParser(raw), null)).toMatch(/delivery report/);
  });

  it.each(['gmail-new.eml', 'outlook-reply.eml', 'chinese-gb18030.eml', 'forwarded.eml'])(
    'treats %s as written by a person',
    async (name) => {
      expect(machineReason(await parse(name), null)).toBeNull();
    },
  );
});
