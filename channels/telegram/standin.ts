/**
 * A local stand-in for the Telegram Bot API, for tests: one bot, speaking the documented
 * shapes ({ok:true,result} / {ok:false,error_code,description,parameters}) at
 * `<root>/bot<token>/<method>` and `<root>/file/bot<token>/<path>`, on 127.0.0.1 only.
 * It keeps updates until getUpdates confirms them (offset) or the webhook answers 2xx,
 * holds long polls, answers 409 like Telegram (webhook set; a newer getUpdates ends the
 * older one), and lets tests inject updates, block users, force 429s and read what was
 * sent. Unlike Telegram it accepts plain-http webhooks on loopback addresses.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiError,
  botUser,
  respond,
  type Chat,
  type Params,
  readParams,
  type StoredFile,
  type TgUser,
} from './standin-wire';
import { acceptSend, type SentRecord } from './standin-send';
import {
  acceptCallbackCall,
  keyOf,
  pressOf,
  type CallbackAnswerRecord,
  type EditRecord,
  type KeptMessage,
} from './standin-callbacks';

export type { SentRecord } from './standin-send';
export type { CallbackAnswerRecord, EditRecord } from './standin-callbacks';

export interface PollRecord {
  offset: number | null;
  timeout: number;
  at: number;
  outcome: 'pending' | 'updates' | 'empty' | 'conflict' | 'closed';
}

export type StandInMessage = { message_id: number; chat: Chat } & Record<string, unknown>;
export type Update = {
  update_id: number;
  message?: StandInMessage;
  edited_message?: StandInMessage;
} & Record<string, unknown>;

const FILE_LIMIT = 20 * 1024 * 1024;

export class TelegramStandIn {
  readonly token: string;
  readonly username: string;
  readonly botId: number;
  url = '';
  readonly sent: SentRecord[] = [];
  /** answerCallbackQuery calls, refused ones too. */
  readonly callbackAnswers: CallbackAnswerRecord[] = [];
  readonly edits: EditRecord[] = [];
  readonly polls: PollRecord[] = [];
  /** While set, file downloads fail with 502 (Telegram's file servers having trouble). */
  filesDown = false;
  /** Calls refused because the token is not this bot's. */
  unauthorized = 0;
  readonly webhookDeliveries: { updateId: number; status: number }[] = [];
  webhook: { url: string; secretToken: string | null; allowedUpdates: string[] | null } | null = null;
  private server: Server | null = null;
  private updates: Update[] = [];
  private nextUpdateId = 500_000;
  private nextMessageId = 1;
  private readonly chats = new Map<number, Chat>();
  private readonly files = new Map<string, StoredFile>();
  private readonly blocked = new Set<number>();
  private readonly messages = new Map<string, KeptMessage>();
  private readonly openQueries = new Set<string>();
  private readonly seenQueries = new Set<string>();
  private throttledUntil = 0;
  private poll: { res: ServerResponse; record: PollRecord; wake: () => void } | null = null;
  private delivering = false;

  constructor(opts: { botId?: number; username?: string; webhookRetryMs?: number } = {}) {
    this.botId = opts.botId ?? 7_000_000 + Math.floor(Math.random() * 1_000_000);
    this.token = `${this.botId}:${randomBytes(26).toString('base64url')}`;
    this.username = opts.username ?? 'switchboard_test_bot';
    this.webhookRetryMs = opts.webhookRetryMs ?? 200;
  }
  private readonly webhookRetryMs: number;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => this.reply(res, err));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.poll?.wake();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  // ---- what tests do ----

  /** A user writes to the bot: queues a `message` update and returns it. */
  message(from: TgUser, content: Record<string, unknown>, chat?: Chat): Update {
    const c = chat ?? { id: from.id, type: 'private', first_name: from.first_name };
    this.chats.set(c.id, c);
    const message = {
      message_id: this.nextMessageId++,
      from: { is_bot: false, ...from },
      chat: c,
      date: Math.floor(Date.now() / 1000),
      ...content,
    };
    return this.push({ message });
  }

  /** The user edits an earlier message. */
  edit(original: Update, content: Record<string, unknown>): Update {
    const m = original.message;
    return this.push({ edited_message: { ...m, ...content, edit_date: Math.floor(Date.now() / 1000) } });
  }

  /** The user presses the button with `data` under a message the bot sent: a `callback_query` update. */
  press(from: TgUser, sent: Pick<SentRecord, 'chatId' | 'messageId'>, data: string): Update {
    const m = this.messages.get(keyOf(sent.chatId, sent.messageId ?? -1));
    if (!m) throw new Error(`the bot sent no message ${sent.messageId} to chat ${sent.chatId}`);
    return this.push({ callback_query: pressOf(this.callbackWorld, from, m, data) });
  }

  private get callbackWorld() {
    return {
      bot: this,
      blocked: this.blocked,
      messages: this.messages,
      openQueries: this.openQueries,
      callbackAnswers: this.callbackAnswers,
      edits: this.edits,
    };
  }

  /** Queues any update (delivered to the webhook if one is set). */
  push(body: Record<string, unknown>): Update {
    const update = { update_id: this.nextUpdateId++, ...body };
    // A callback query can be answered once, from its first delivery on.
    const query = body.callback_query as { id?: unknown } | undefined;
    if (typeof query?.id === 'string' && !this.seenQueries.has(query.id)) {
      this.seenQueries.add(query.id);
      this.openQueries.add(query.id);
    }
    this.updates.push(update);
    this.poll?.wake();
    void this.deliver();
    return update;
  }

  /** A file on Telegram's servers, for photos and documents in injected messages. */
  file(
    data: Buffer,
    path = 'documents/file',
  ): { file_id: string; file_unique_id: string; file_size: number } {
    const f: StoredFile = {
      file_id: `F${randomBytes(12).toString('base64url')}`,
      file_unique_id: `U${randomBytes(6).toString('base64url')}`,
      file_size: data.length,
      file_path: `${path}_${this.files.size}`,
      data,
    };
    this.files.set(f.file_id, f);
    return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.file_size };
  }

  block(userId: number): void {
    this.blocked.add(userId);
  }

  unblock(userId: number): void {
    this.blocked.delete(userId);
  }

  /** Sends are refused with 429 and `retry_after` for the next `seconds`. */
  throttle(seconds: number): void {
    this.throttledUntil = Date.now() + seconds * 1000;
  }

  get pendingUpdates(): number {
    return this.updates.length;
  }

  // ---- the Bot API ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file && req.method === 'GET') {
      const f = [...this.files.values()].find((x) => x.file_path === file[2]);
      if (file[1] !== this.token || !f) throw new ApiError(404, 'Not Found');
      if (this.filesDown) throw new ApiError(502, 'Bad Gateway');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': f.data.length });
      res.end(f.data);
      return;
    }
    const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!call) throw new ApiError(404, 'Not Found');
    if (call[1] !== this.token) {
      this.unauthorized++;
      throw new ApiError(401, 'Unauthorized');
    }
    const p = await readParams(req, url);
    const method = call[2]!.toLowerCase();
    switch (method) {
      case 'getme':
        return this.reply(res, null, botUser(this));
      case 'getupdates':
        return this.getUpdates(res, p);
      case 'setwebhook':
        return this.reply(res, null, this.setWebhook(p));
      case 'deletewebhook':
        if (p.bool('drop_pending_updates')) this.updates = [];
        this.webhook = null;
        return this.reply(res, null, true);
      case 'getwebhookinfo':
        return this.reply(res, null, {
          url: this.webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.updates.length,
          ...(this.webhook?.allowedUpdates ? { allowed_updates: this.webhook.allowedUpdates } : {}),
        });
      case 'getfile':
        return this.reply(res, null, this.getFile(p));
      case 'sendmessage':
      case 'sendphoto':
      case 'senddocument':
      case 'sendchataction':
        return this.reply(
          res,
          null,
          acceptSend(
            {
              bot: this,
              chats: this.chats,
              blocked: this.blocked,
              throttledUntil: this.throttledUntil,
              messageId: () => this.nextMessageId++,
              store: (data, path) => this.file(data, path),
              sent: this.sent,
              messages: this.messages,
            },
            method,
            p,
          ),
        );
      case 'answercallbackquery':
      case 'editmessagereplymarkup':
        return this.reply(res, null, acceptCallbackCall(this.callbackWorld, method, p));
      default:
        throw new ApiError(404, 'Not Found');
    }
  }

  private reply(res: ServerResponse, err: unknown, result?: unknown): void {
    respond(res, err, result);
  }

  private getUpdates(res: ServerResponse, p: Params): void {
    const record: PollRecord = {
      offset: p.int('offset'),
      timeout: p.int('timeout') ?? 0,
      at: Date.now(),
      outcome: 'pending',
    };
    this.polls.push(record);
    if (this.webhook) {
      record.outcome = 'conflict';
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    if (this.poll)
      this.endPoll(
        409,
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      );
    if (record.offset !== null) this.updates = this.updates.filter((u) => u.update_id >= record.offset!);
    const limit = Math.min(Math.max(p.int('limit') ?? 100, 1), 100);
    const answer = () => {
      if (this.poll?.res === res) this.poll = null;
      clearTimeout(timer);
      const batch = this.updates.slice(0, limit);
      record.outcome = batch.length ? 'updates' : 'empty';
      this.reply(res, null, batch);
    };
    const timer = setTimeout(answer, record.timeout * 1000);
    if (this.updates.length > 0 || record.timeout === 0) return answer();
    this.poll = { res, record, wake: answer };
    res.once('close', () => {
      if (this.poll?.res !== res) return;
      clearTimeout(timer);
      this.poll = null;
      record.outcome = 'closed';
    });
  }

  private endPoll(code: number, description: string): void {
    const held = this.poll;
    if (!held) return;
    this.poll = null;
    held.record.outcome = 'conflict';
    this.reply(held.res, new ApiError(code, description));
  }

  private setWebhook(p: Params): true {
    const url = p.str('url') ?? '';
    const secretToken = p.str('secret_token');
    if (secretToken !== null && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken))
      throw new ApiError(400, 'Bad Request: secret token contains unallowed characters');
    if (!url) {
      this.webhook = null;
      return true;
    }
    const u = new URL(url);
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && /^127\./.test(u.hostname)))
      throw new ApiError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    this.endPoll(409, 'Conflict: terminated by setWebhook request');
    this.webhook = { url, secretToken, allowedUpdates: p.list('allowed_updates') };
    void this.deliver();
    return true;
  }

  /** Posts queued updates to the webhook in order, retrying one that is not answered 2xx. */
  private async deliver(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.webhook && this.updates.length > 0 && this.server?.listening) {
        const hook = this.webhook;
        const update = this.updates[0]!;
        const status = await fetch(hook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(hook.secretToken ? { 'x-telegram-bot-api-secret-token': hook.secretToken } : {}),
          },
          body: JSON.stringify(update),
        })
          .then(async (r) => (await r.arrayBuffer(), r.status))
          .catch(() => 0);
        this.webhookDeliveries.push({ updateId: update.update_id, status });
        if (status >= 200 && status < 300) this.updates = this.updates.filter((u) => u !== update);
        else await new Promise((r) => setTimeout(r, this.webhookRetryMs));
      }
    } finally {
      this.delivering = false;
    }
  }

  private getFile(p: Params) {
    const f = this.files.get(p.str('file_id') ?? '');
    if (!f) throw new ApiError(400, 'Bad Request: invalid file_id');
    if (f.file_size > FILE_LIMIT) throw new ApiError(400, 'Bad Request: file is too big');
    return {
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      file_size: f.file_size,
      file_path: f.file_path,
    };
  }
}
