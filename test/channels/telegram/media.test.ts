/**
 * What customers send besides text: files are fetched into Switchboard (the largest
 * photo size), things without words become readable placeholders, files over the limit
 * say so, and an edited message shows its new text marked as edited.
 */
import type { MessageView } from '../../../shared/protocol';
import type { TelegramStandIn, Update } from '../../../channels/telegram/standin';
import type { InboxDoc } from '../../../server/domain/inbox';
import type { MessageDoc } from '../../../server/domain/message';
import { call, connectAgent, createAgent, eventually, nextEvent } from '../../harness/gateway';
import { someUser, startStandIn, telegramGateway, telegramInbox, type TelegramGateway } from './setup';

const MAX = 4096;
let bot: TelegramStandIn;
let gw: TelegramGateway;
let inbox: InboxDoc;

beforeAll(async () => {
  bot = await startStandIn();
  gw = await telegramGateway({ env: { ATTACHMENT_MAX_BYTES: String(MAX) } });
  inbox = await telegramInbox(gw, bot);
});
afterAll(async () => {
  await gw.close();
  await bot.close();
});

/** The stored message for a Telegram update. */
const stored = (update: Update) => {
  const m = update.message!;
  return eventually(
    () =>
      gw.models.Message.findOne({
        inboxId: inbox._id,
        dedupeKey: `tg:${m.chat.id}:${m.message_id}`,
      }).lean<MessageDoc>(),
    (x) => x !== null,
  ) as Promise<MessageDoc>;
};

const download = async (url: string | undefined) =>
  Buffer.from(await (await fetch(`${gw.url}${url}`)).arrayBuffer());

it('stores the largest size of a photo with its caption as text', async () => {
  const user = someUser();
  const small = Buffer.from('small jpeg');
  const large = Buffer.from('the large jpeg bytes');
  const update = bot.message(user, {
    photo: [
      { ...bot.file(small, 'photos/file'), width: 90, height: 67 },
      { ...bot.file(large, 'photos/file'), width: 800, height: 600 },
    ],
    caption: 'The box arrived like this',
  });
  const m = await stored(update);
  expect(m.text).toBe('The box arrived like this');
  expect(m.attachments).toHaveLength(1);
  expect(m.attachments[0]).toMatchObject({ contentType: 'image/jpeg', size: large.length });
  expect(await download(m.attachments[0]!.url)).toEqual(large);
});

it('stores documents, voice and video messages, video and audio as files', async () => {
  const user = someUser();
  const pdf = Buffer.from('%PDF-1.4 invoice');
  const doc = await stored(
    bot.message(user, {
      document: { ...bot.file(pdf), file_name: 'invoice.pdf', mime_type: 'application/pdf' },
    }),
  );
  expect(doc.attachments[0]).toMatchObject({
    name: 'invoice.pdf',
    contentType: 'application/pdf',
    size: pdf.length,
  });
  expect(await download(doc.attachments[0]!.url)).toEqual(pdf);
  const voice = await stored(
    bot.message(user, {
      voice: { ...bot.file(Buffer.from('OggS voice')), duration: 2, mime_type: 'audio/ogg' },
    }),
  );
  expect(voice.attachments[0]).toMatchObject({ contentType: 'audio/ogg', name: 'voice.ogg' });
  const note = await stored(
    bot.message(user, { video_note: { ...bot.file(Buffer.from('round video')), length: 240, duration: 3 } }),
  );
  expect(note.attachments[0]).toMatchObject({ contentType: 'video/mp4' });
  const video = await stored(
    bot.message(user, {
      video: { ...bot.file(Buffer.from('mp4')), width: 1, height: 1, duration: 1, mime_type: 'video/mp4' },
    }),
  );
  expect(video.attachments[0]).toMatchObject({ contentType: 'video/mp4' });
  const audio = await stored(
    bot.message(user, {
      audio: { ...bot.file(Buffer.from('mp3')), duration: 1, file_name: 'song.mp3', mime_type: 'audio/mpeg' },
    }),
  );
  expect(audio.attachments[0]).toMatchObject({ name: 'song.mp3', contentType: 'audio/mpeg' });
});

it('shows stickers, locations and contacts as readable text', async () => {
  const user = someUser();
  const sticker = await stored(
    bot.message(user, {
      sticker: {
        ...bot.file(Buffer.from('webp')),
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        type: 'regular',
        emoji: '😀',
      },
    }),
  );
  expect(sticker.text).toBe('[Sticker 😀]');
  expect(sticker.attachments).toHaveLength(0);
  const loc = await stored(bot.message(user, { location: { latitude: 52.52, longitude: 13.405 } }));
  expect(loc.text).toBe('[Location: https://www.openstreetmap.org/?mlat=52.52&mlon=13.405]');
  const contact = await stored(
    bot.message(user, {
      contact: { phone_number: '+4915112345678', first_name: 'Max', last_name: 'Muster' },
    }),
  );
  expect(contact.text).toBe('[Contact: Max Muster, +4915112345678]');
});

it('says a file is too large instead of storing it, for the gateway limit and Telegram’s 20 MB', async () => {
  const user = someUser();
  const big = await stored(
    bot.message(user, {
      document: { ...bot.file(Buffer.alloc(MAX + 1, 1)), file_name: 'scan.tiff' },
      caption: 'see scan',
    }),
  );
  expect(big.attachments).toHaveLength(0);
  expect(big.text).toMatch(
    /^\[File "scan\.tiff" \(0\.0 MB\) is larger than the 0\.0 MB that can be received; ask for it another way\]\nsee scan$/,
  );
  const huge = await stored(
    bot.message(user, {
      video: { ...bot.file(Buffer.from('x')), file_size: 25 * 1024 * 1024, width: 1, height: 1, duration: 1 },
    }),
  );
  expect(huge.text).toMatch(/^\[Video "video\.mp4" \(25\.0 MB\) is larger than/);
});

it('shows an edited message with its new text, marked as edited, to the agent', async () => {
  const user = someUser();
  const original = bot.message(user, { text: 'My order number is 1234' });
  const m = await stored(original);
  // A supervisor of the conversation's team (the inbox's).
  const conv = await gw.models.Conversation.findById(m.conversationId).lean();
  const supervisor = await createAgent(gw, {
    role: 'supervisor',
    teamIds: conv?.teamId ? [String(conv.teamId)] : [],
  });
  const socket = await connectAgent(gw.url, supervisor.token);
  // Opening the conversation subscribes the console to its updates.
  await call(socket, 'conversation:get', { conversationId: String(m.conversationId) });
  const updated = nextEvent<MessageView>(socket, 'message:updated', (v) => v.id === String(m._id));
  bot.edit(original, { text: 'My order number is 1243' });
  const view = await updated;
  expect(view).toMatchObject({ text: 'My order number is 1243', direction: 'in' });
  expect(view.editedAt).not.toBeNull();
  const after = await gw.models.Message.findById(m._id).lean<MessageDoc>();
  expect(after?.text).toBe('My order number is 1243');
  expect(after?.editedAt).toBeInstanceOf(Date);
  expect(await gw.models.Message.countDocuments({ conversationId: m.conversationId })).toBe(1);
  socket.close();
});
