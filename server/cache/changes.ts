/**
 * SettingsChanges: settings that every gateway process keeps a copy of (policy rules,
 * categories and classification rules, calendars, shifts) are dropped everywhere when one
 * process saves them, through the Socket.IO Redis adapter. A saved setting is then used at
 * once on every process; the copies' age bounds only what a lost broadcast (a Redis outage
 * at that moment) leaves stale.
 */
import type { Server } from 'socket.io';

const SETTINGS_CHANGED = 'settings:changed';

export type SettingsTopic = 'policies' | 'classification' | 'calendar' | 'shifts';

export class SettingsChanges {
  private readonly drops = new Map<SettingsTopic, (id: string) => void>();

  constructor(private readonly io: Server) {
    io.on(SETTINGS_CHANGED, (topic: unknown, id: unknown) => {
      if (typeof topic === 'string' && typeof id === 'string') this.drops.get(topic as SettingsTopic)?.(id);
    });
  }

  /** How this process drops its copy of a topic's settings (`id`: which one, or '' for all). */
  on(topic: SettingsTopic, drop: (id: string) => void): void {
    this.drops.set(topic, drop);
  }

  /** This process saved a setting: its own copy goes now, every other process's with the broadcast. */
  changed(topic: SettingsTopic, id = ''): void {
    this.drops.get(topic)?.(id);
    this.io.serverSideEmit(SETTINGS_CHANGED, topic, id);
  }
}
