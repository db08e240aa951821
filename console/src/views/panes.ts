/**
 * The console's tabs beside Conversations: each is a pane built from the view context,
 * with the words of its tab, who may see it, and the live topics it redraws on. A new
 * screen is a module of its own and one entry here.
 */
import type { Key } from '../i18n';
import type { Topic } from '../live';
import { AdminPane } from './admin';
import { CannedPane } from './canned-admin';
import type { ViewContext } from './context';
import { FollowUpsPane } from './followups';
import { KnowledgePane } from './knowledge';
import { SearchPane } from './search';
import { ShiftsPane } from './shifts';
import { ReportsPane } from './reports';
import { QualityPane } from './quality';
import { SupervisorPane } from './supervisor';

export interface Pane {
  readonly el: HTMLElement;
  /** The tab was opened. */
  show?(): void;
  /** Another tab was opened. */
  hide?(): void;
  /** A live topic changed while the tab is open. */
  update?(topic: Topic): void;
  /** What the pane shows above every tab, whichever is open (e.g. the handover at sign-in). */
  readonly notice?: HTMLElement;
}

export interface PaneSpec {
  id: string;
  label: Key;
  /** Who sees the tab; everyone when absent. */
  visible?(v: ViewContext): boolean;
  create(v: ViewContext): Pane;
}

export const panes: PaneSpec[] = [
  { id: 'followups', label: 'followUps', create: (v) => new FollowUpsPane(v) },
  { id: 'search', label: 'search', create: (v) => new SearchPane(v) },
  { id: 'canned', label: 'canned', visible: (v) => v.live.isSupervisor, create: (v) => new CannedPane(v) },
  { id: 'knowledge', label: 'knowledge', create: (v) => new KnowledgePane(v) },
  { id: 'quality', label: 'quality', create: (v) => new QualityPane(v) },
  { id: 'shifts', label: 'shifts', create: (v) => new ShiftsPane(v) },
  {
    id: 'supervisor',
    label: 'supervisor',
    visible: (v) => v.live.isSupervisor,
    create: (v) => {
      const pane = new SupervisorPane(v);
      return {
        el: pane.el,
        show: () => pane.show(),
        hide: () => pane.hide(),
        update(topic) {
          if (topic === 'supervisor' || topic === 'queue') pane.render();
          if (topic === 'queue') pane.loadQueueDay(false);
          if (topic === 'supervisor' && v.live.alerts.some((a) => a.kind === 'breach')) pane.loadAttainment();
        },
      };
    },
  },
  {
    id: 'admin',
    label: 'admin',
    visible: (v) => v.live.me.role === 'admin',
    create: (v) => new AdminPane(v),
  },
  {
    id: 'reports',
    label: 'reports',
    visible: (v) => v.live.isSupervisor,
    create: (v) => new ReportsPane(v),
  },
];
