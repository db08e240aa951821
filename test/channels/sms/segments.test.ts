/** The console counts an SMS as the network does: GSM-7 or UCS-2, 160/153 and 70/67 units a part. */
import { isGsm7, smsLength } from '../../../shared/sms-segments';

describe('SMS length and segments', () => {
  it('counts an empty text as no segment', () => {
    expect(smsLength('')).toMatchObject({ encoding: 'GSM-7', units: 0, segments: 0, remaining: 160 });
  });

  it('fits 160 GSM-7 characters in one segment and needs a second at 161, 153 a part', () => {
    expect(smsLength('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1, remaining: 0 });
    expect(smsLength('a'.repeat(161))).toMatchObject({ segments: 2, perSegment: 153, remaining: 145 });
    expect(smsLength('a'.repeat(306))).toMatchObject({ segments: 2, remaining: 0 });
    expect(smsLength('a'.repeat(307))).toMatchObject({ segments: 3 });
  });

  it('counts GSM extension characters as two septets', () => {
    const euros = smsLength('€'.repeat(80));
    expect(euros).toMatchObject({ encoding: 'GSM-7', characters: 80, units: 160, segments: 1 });
    expect(smsLength(`${'€'.repeat(80)}a`)).toMatchObject({ units: 161, segments: 2 });
    expect(smsLength('[x]{y}|~^\\')).toMatchObject({ encoding: 'GSM-7', characters: 10, units: 18 });
  });

  it('never splits an extension character across two parts', () => {
    // 152 plain septets leave one free in the first part: the next "€" moves to the second.
    const r = smsLength(`${'a'.repeat(152)}€${'b'.repeat(10)}`);
    expect(r).toMatchObject({ units: 164, segments: 2, remaining: 153 - 12 });
  });

  it('switches to UCS-2 for any character outside the GSM alphabet, 70 then 67 a part', () => {
    expect(isGsm7('Grüße àèé ÄÖÜ')).toBe(true);
    expect(isGsm7('naïve')).toBe(false);
    expect(smsLength('你'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1, remaining: 0 });
    expect(smsLength('你'.repeat(71))).toMatchObject({ segments: 2, perSegment: 67 });
    expect(smsLength(`${'a'.repeat(159)}ç`)).toMatchObject({ encoding: 'UCS-2', segments: 3 });
  });

  it('counts an emoji as two UCS-2 units and one character', () => {
    expect(smsLength('👍')).toMatchObject({ encoding: 'UCS-2', characters: 1, units: 2, segments: 1 });
    // 66 units then a surrogate pair: it cannot straddle, so it opens the second part.
    const r = smsLength(`${'你'.repeat(66)}👍${'你'.repeat(5)}`);
    expect(r).toMatchObject({ units: 73, segments: 2, remaining: 67 - 7 });
  });
});
