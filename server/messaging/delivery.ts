/**
 * Delivery reports from providers (SMS status callbacks, read receipts). Reports can
 * arrive out of order; a status only replaces one it supersedes, so a late "sent" never
 * overwrites "delivered", and a final state stays final.
 */
import type { DeliveryStatus } from '../domain/types';

const RANK: Record<DeliveryStatus, number> = {
  received: 0,
  pending: 1,
  queued: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  read: 5,
};

export function supersedes(next: DeliveryStatus, current: DeliveryStatus): boolean {
  if (current === 'failed' || current === 'undelivered') return false;
  return RANK[next] > RANK[current];
}
