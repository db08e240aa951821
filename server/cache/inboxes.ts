/**
 * InboxDirectory: inboxes as the hot path reads them (ingest, policy, calendars), cached
 * in process. Every process drops an inbox when it applies that inbox's change (the
 * change broadcast), so a saved inbox is seen at once everywhere.
 */
import type { InboxDoc } from '../domain/inbox';
import type { Models } from '../domain/models';
import { Cached } from './cached';

export class InboxDirectory {
  private readonly byId = new Cached<InboxDoc | null>(30_000, 5_000);

  constructor(private readonly models: Models) {}

  get(inboxId: string): Promise<InboxDoc | null> {
    return this.byId.get(inboxId, () => this.models.Inbox.findById(inboxId).lean<InboxDoc>().exec());
  }

  changed(inboxId: string): void {
    this.byId.delete(inboxId);
  }
}
