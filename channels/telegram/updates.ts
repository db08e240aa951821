/**
 * The part of the Bot API's Update that Switchboard reads, validated, and what a
 * message says in words: its text or caption, the file it carries, and readable
 * placeholders for stickers, locations and contacts.
 */
import { z } from 'zod';

const User = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

const Chat = z.object({
  id: z.number().int(),
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
});

const FileRef = z.object({
  file_id: z.string().min(1),
  file_unique_id: z.string().min(1),
  file_size: z.number().int().nonnegative().optional(),
});
const NamedFile = FileRef.extend({ file_name: z.string().optional(), mime_type: z.string().optional() });

export const TgMessage = z.object({
  message_id: z.number().int(),
  from: User.optional(),
  chat: Chat,
  date: z.number().int(),
  edit_date: z.number().int().optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(FileRef.extend({ width: z.number(), height: z.number() })).optional(),
  document: NamedFile.optional(),
  video: NamedFile.optional(),
  audio: NamedFile.optional(),
  voice: FileRef.extend({ mime_type: z.string().optional() }).optional(),
  video_note: FileRef.optional(),
  sticker: FileRef.extend({ emoji: z.string().optional() }).optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  venue: z.object({ title: z.string(), address: z.string() }).optional(),
  contact: z
    .object({ phone_number: z.string(), first_name: z.string(), last_name: z.string().optional() })
    .optional(),
});
export type TgMessage = z.infer<typeof TgMessage>;

/** A press of an inline keyboard button; `message` is the one carrying the keyboard, when still accessible. */
export const TgCallbackQuery = z.object({
  id: z.string().min(1),
  from: User,
  message: z.object({ message_id: z.number().int(), chat: Chat }).optional(),
  chat_instance: z.string().optional(),
  data: z.string().optional(),
});
export type TgCallbackQuery = z.infer<typeof TgCallbackQuery>;

export const TgUpdate = z.object({
  update_id: z.number().int(),
  message: TgMessage.optional(),
  edited_message: TgMessage.optional(),
  callback_query: TgCallbackQuery.optional(),
});
export type TgUpdate = z.infer<typeof TgUpdate>;

/** The update kinds the bot asks Telegram for. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const;

/** A file a message carries, to fetch with getFile. */
export interface MediaRef {
  fileId: string;
  /** Size Telegram announced, when it did. */
  size: number | undefined;
  name: string;
  contentType: string;
  /** What to call it in a placeholder: "Photo", "Voice message"... */
  label: string;
}

/** Largest photo size: Telegram lists the sizes of one photo from small to large. */
function largest<T extends { width: number; height: number; file_size?: number }>(sizes: T[]): T | undefined {
  return [...sizes].sort((a, b) => a.width * a.height - b.width * b.height).pop();
}

export function mediaOf(m: TgMessage): MediaRef | null {
  const ref = (
    f: z.infer<typeof FileRef> & { file_name?: string; mime_type?: string },
    label: string,
    name: string,
    contentType: string,
  ): MediaRef => ({
    fileId: f.file_id,
    size: f.file_size,
    name: f.file_name ?? name,
    contentType: f.mime_type ?? contentType,
    label,
  });
  const photo = m.photo ? largest(m.photo) : undefined;
  if (photo) return ref(photo, 'Photo', `photo-${photo.file_unique_id}.jpg`, 'image/jpeg');
  if (m.document) return ref(m.document, 'File', 'file', 'application/octet-stream');
  if (m.video) return ref(m.video, 'Video', 'video.mp4', 'video/mp4');
  if (m.audio) return ref(m.audio, 'Audio', 'audio.mp3', 'audio/mpeg');
  if (m.voice) return ref(m.voice, 'Voice message', 'voice.ogg', 'audio/ogg');
  if (m.video_note) return ref(m.video_note, 'Video message', 'video-message.mp4', 'video/mp4');
  return null;
}

/** The words of a message: text, caption, or a placeholder for what has no words. */
export function wordsOf(m: TgMessage): string {
  if (m.text !== undefined) return m.text;
  if (m.caption !== undefined) return m.caption;
  if (mediaOf(m)) return '';
  if (m.sticker) return `[Sticker${m.sticker.emoji ? ` ${m.sticker.emoji}` : ''}]`;
  if (m.venue && m.location)
    return `[Location: ${m.venue.title}, ${m.venue.address} (${mapLink(m.location)})]`;
  if (m.location) return `[Location: ${mapLink(m.location)}]`;
  if (m.contact) {
    const name = [m.contact.first_name, m.contact.last_name].filter(Boolean).join(' ');
    return `[Contact: ${name}, ${m.contact.phone_number}]`;
  }
  return '[A kind of Telegram message Switchboard cannot show]';
}

const mapLink = (l: { latitude: number; longitude: number }) =>
  `https://www.openstreetmap.org/?mlat=${l.latitude}&mlon=${l.longitude}`;

/** The sender's display name from their Telegram profile. */
export function nameOf(m: TgMessage): string | null {
  if (!m.from) return null;
  const full = [m.from.first_name, m.from.last_name].filter(Boolean).join(' ');
  return full || (m.from.username ? `@${m.from.username}` : null);
}
