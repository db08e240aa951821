/**
 * Shifts and handover: only agents on duty are offered work; when a shift ends the next
 * one sees its note, the open conversations and the due follow-ups passed on; an inbox
 * whose team has nobody on duty answers as out of hours. Time is moved with the gateway's
 * clock, across real shift boundaries.
 */
import type { MessageView, OfferView, ShiftsMineView } from '../../shared/protocol';
import {
  api,
  call,
  callRaw,
  connectAgent,
  connectVisitor,
  createAgent,
  createDesk,
  eventually,
  nextEvent,
  openVisitorSession,
  suiteGateway,
  type AgentClient,
} from '../harness/gateway';
import { dutyHour, shiftClock } from '../harness/shifts';

const HOUR = 3_600_000;
// A shift boundary a day ahead: the early shift ends and the late one starts at B.
const { B, now, moveTo } = shiftClock();

const gw = suiteGateway({
  env: { OFFER_TIMEOUT_MS: '20000', SHIFT_CHECK_INTERVAL_MS: '200' },
  now,
});
const sockets: { close(): void }[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

async function signIn(token: string): Promise<AgentClient> {
  const s = await connectAgent(gw.url, token);
  sockets.push(s);
  return s;
}

describe('shifts and handover', () => {
  it('offers only to agents on duty, hands over at the shift change, and closes the inbox when nobody is on duty', async () => {
    const desk = await createDesk(gw);
    const teamId = String(desk.team._id);
    const early = await desk.agent({ name: 'Early' });
    const late = await desk.agent({ name: 'Late' });
    const supervisor = (await createAgent(gw, { role: 'supervisor' })).token;

    const e = await api<{ shift: { id: string; running: unknown } }>(gw.url, supervisor, 'POST', '/shifts', {
      teamId,
      name: 'Early',
      agentIds: [early.id],
      timeZone: 'UTC',
      dutyDays: [dutyHour(B - HOUR)],
    });
    expect(e.status).toBe(201);
    expect(e.body.shift.running).not.toBeNull();
    const l = await api(gw.url, supervisor, 'POST', '/shifts', {
      teamId,
      name: 'Late',
      agentIds: [late.id],
      timeZone: 'UTC',
      dutyDays: [dutyHour(B), dutyHour(B + 24 * HOUR)],
    });
    expect(l.status).toBe(201);
    // Agents do not keep the rota.
    expect(
      (await api(gw.url, early.token, 'POST', '/shifts', { teamId, name: 'x', timeZone: 'UTC' })).status,
    ).toBe(403);

    const se = await signIn(early.token);
    const sl = await signIn(late.token);
    // At sign-in the shift gives the presence: on duty online, off duty away.
    expect(await call<ShiftsMineView>(se, 'shift:mine', {})).toMatchObject({
      onDuty: true,
      presence: 'online',
    });
    expect(await call<ShiftsMineView>(sl, 'shift:mine', {})).toMatchObject({
      onRota: true,
      onDuty: false,
      presence: 'away',
    });
    for (const s of [se, sl]) await call(s, 'presence:set', { presence: 'online' });
    const toLate: string[] = [];
    sl.on('offer', (o: OfferView) => toLate.push(o.conversation.id));

    // Off shift, Late gets no offers even when online.
    const offer = nextEvent<OfferView>(se, 'offer');
    const v1 = await connectVisitor(gw.url, (await openVisitorSession(gw.url, desk.inbox.key)).token);
    sockets.push(v1);
    const m1 = await call<MessageView>(v1, 'message:send', { clientId: 'm1', text: 'Where is my parcel?' });
    expect((await offer).conversation.id).toBe(m1.conversationId);
    await call(se, 'offer:accept', { conversationId: m1.conversationId });
    expect(toLate).toEqual([]);
    const contactId = String((await gw.models.Conversation.findById(m1.conversationId).lean())!.contactId);
    const task = await api<{ followup: { id: string } }>(gw.url, early.token, 'POST', '/followups', {
      contactId,
      dueAt: new Date(B + 2 * HOUR).toISOString(),
      note: 'Call back about the parcel',
    });
    expect(task.status).toBe(201);

    // Early writes the handover; Late cannot write Early's.
    const note = 'Parcel customer is waiting for the courier; call them back.';
    const written = await api(gw.url, early.token, 'PUT', `/shifts/${e.body.shift.id}/handover`, { note });
    expect(written.status).toBe(200);
    expect(
      (await api(gw.url, late.token, 'PUT', `/shifts/${e.body.shift.id}/handover`, { note: 'x' })).status,
    ).toBe(403);

    // The shift changes.
    moveTo(B + 2000);
    await eventually(
      () => gw.models.Handover.findOne({ shiftId: e.body.shift.id }).lean(),
      (h) => Boolean(h?.handedOverAt),
    );
    await eventually(
      () => gw.models.Agent.findById(early.id).lean(),
      (a) => a?.presence === 'away',
    );
    const mine = await call<ShiftsMineView>(sl, 'shift:mine', {});
    expect(mine).toMatchObject({ onDuty: true, presence: 'online' });
    expect(mine.handover).toMatchObject({ shiftName: 'Early', note, noteBy: 'Early' });
    expect(mine.handover!.conversations.map((c) => c.id)).toEqual([m1.conversationId]);
    expect(mine.handover!.followUps.map((t) => t.id)).toEqual([task.body.followup.id]);
    const rest = await api<ShiftsMineView>(gw.url, late.token, 'GET', '/shifts/mine');
    expect(rest.body.handover?.note).toBe(note);

    // Now Late is offered the new work, and Early, off shift, is not even when online.
    await call(se, 'presence:set', { presence: 'online' });
    const toEarly: string[] = [];
    se.on('offer', (o: OfferView) => toEarly.push(o.conversation.id));
    const lateOffer = nextEvent<OfferView>(sl, 'offer');
    const v2 = await connectVisitor(gw.url, (await openVisitorSession(gw.url, desk.inbox.key)).token);
    sockets.push(v2);
    const m2 = await call<MessageView>(v2, 'message:send', { clientId: 'm2', text: 'Hello there' });
    expect((await lateOffer).conversation.id).toBe(m2.conversationId);
    expect(toEarly).toEqual([]);

    // After the late shift nobody is on duty: the widget shows the inbox closed and a customer is told.
    moveTo(B + HOUR + 2000);
    const session = await openVisitorSession(gw.url, desk.inbox.key);
    const v3 = await connectVisitor(gw.url, session.token);
    sockets.push(v3);
    const told = nextEvent<MessageView>(v3, 'message', (m) => m.automatic);
    await call<MessageView>(v3, 'message:send', { clientId: 'm3', text: 'Anyone?' });
    expect((await told).text).toMatch(/closed/i);
    const body = session as unknown as {
      inbox: { online: boolean; hours: { open: boolean; nextOpeningAt: string } };
    };
    expect(body.inbox.online).toBe(false);
    expect(body.inbox.hours).toMatchObject({
      open: false,
      nextOpeningAt: new Date(B + 24 * HOUR).toISOString(),
    });
  });

  it('refuses shifts with unknown people or bad hours, and a note outside the shift', async () => {
    const desk = await createDesk(gw);
    const supervisor = (await createAgent(gw, { role: 'supervisor' })).token;
    const teamId = String(desk.team._id);
    const bad = [
      { teamId: '0123456789abcdef01234567', name: 'x', timeZone: 'UTC' },
      { teamId, name: 'x', timeZone: 'Mars/Base' },
      { teamId, name: 'x', timeZone: 'UTC', agentIds: ['0123456789abcdef01234567'] },
      { teamId, name: 'x', timeZone: 'UTC', weekly: { '1': [{ open: '18:00', close: '09:00' }] } },
      { teamId, name: 'x', timeZone: 'UTC', dutyDays: [{ date: '2026-02-30' }] },
    ];
    for (const b of bad) expect((await api(gw.url, supervisor, 'POST', '/shifts', b)).status).toBe(400);
    expect(await gw.models.Shift.countDocuments({ teamId })).toBe(0);
    const a = await desk.agent();
    const s = await api<{ shift: { id: string } }>(gw.url, supervisor, 'POST', '/shifts', {
      teamId,
      name: 'Later',
      agentIds: [a.id],
      timeZone: 'UTC',
      dutyDays: [dutyHour(B + 48 * HOUR)],
    });
    const r = await api(gw.url, a.token, 'PUT', `/shifts/${s.body.shift.id}/handover`, { note: 'hi' });
    expect(r).toMatchObject({ status: 409, body: { error: { code: 'shift_not_running' } } });
    const socket = await signIn(a.token);
    expect(await callRaw(socket, 'shift:mine', { extra: 1 })).toMatchObject({ ok: false });
    expect((await api(gw.url, supervisor, 'DELETE', `/shifts/${s.body.shift.id}`)).status).toBe(204);
  });
});
