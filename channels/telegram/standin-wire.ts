/** The stand-in's wire helpers: Bot API parameters from query, JSON, urlencoded or multipart bodies, and shared shapes. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface TgUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
}
export type Chat = {
  id: number;
  type: 'private' | 'group' | 'supergroup';
  first_name?: string;
  title?: string;
};
export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_path: string;
  data: Buffer;
}

/** A Bot API refusal: answered as {ok:false,error_code,description,parameters}. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
  }
}

/** Answers a call the way the Bot API does. */
export function respond(res: ServerResponse, err: unknown, result?: unknown): void {
  if (res.headersSent || res.writableEnded) return;
  const body = err
    ? err instanceof ApiError
      ? {
          ok: false,
          error_code: err.code,
          description: err.message,
          ...(err.parameters ? { parameters: err.parameters } : {}),
        }
      : { ok: false, error_code: 500, description: `Internal Server Error: ${(err as Error).message}` }
    : { ok: true, result };
  res.writeHead(err ? (err instanceof ApiError ? err.code : 500) : 200, {
    'content-type': 'application/json',
  });
  res.end(JSON.stringify(body));
}

export const botUser = (bot: { botId: number; username: string }) => ({
  id: bot.botId,
  is_bot: true,
  first_name: 'Switchboard Test Bot',
  username: bot.username,
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
});

/** Parameters of one Bot API call, as the API reads them from any of its accepted encodings. */
export class Params {
  constructor(
    private readonly values: Map<string, unknown>,
    readonly files: Map<string, { name: string; contentType: string; data: Buffer }>,
  ) {}
  /** The parameter as given: a JSON body keeps objects, a form gives strings. */
  value(k: string): unknown {
    return this.values.get(k);
  }
  str(k: string): string | null {
    const v = this.values.get(k);
    return v === undefined || v === null ? null : String(v);
  }
  int(k: string): number | null {
    const v = this.str(k);
    return v === null || v === '' || !Number.isFinite(Number(v)) ? null : Math.trunc(Number(v));
  }
  bool(k: string): boolean {
    const v = this.values.get(k);
    return v === true || v === 'true';
  }
  list(k: string): string[] | null {
    const v = this.values.get(k);
    if (Array.isArray(v)) return v.map(String);
    if (typeof v === 'string') {
      try {
        const parsed: unknown = JSON.parse(v);
        return Array.isArray(parsed) ? parsed.map(String) : null;
      } catch {
        return null;
      }
    }
    return null;
  }
}

export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const values = new Map<string, unknown>(url.searchParams.entries());
  const files = new Map<string, { name: string; contentType: string; data: Buffer }>();
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/json') && raw.length > 0) {
    const body: unknown = JSON.parse(raw.toString('utf8'));
    if (body && typeof body === 'object') for (const [k, v] of Object.entries(body)) values.set(k, v);
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) values.set(k, v);
  } else if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    for (const [k, v] of form.entries()) {
      if (typeof v === 'string') values.set(k, v);
      else
        files.set(k, {
          name: v.name,
          contentType: v.type || 'application/octet-stream',
          data: Buffer.from(await v.arrayBuffer()),
        });
    }
  }
  return new Params(values, files);
}

/** A file sent as an upload (multipart), or named by a known file_id (not supported: uploads only). */
export function fileParam(p: Params, field: string) {
  return p.files.get(field) ?? null;
}
