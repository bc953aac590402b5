import type { FlexcordFeature } from '../feature.ts';
import { cannedRepliesFeature } from './canned-replies/index.ts';
import { caseDeskFeature } from './case-desk/index.ts';
import { casePanelFeature } from './case-panel/index.ts';
import { discordChannelFeature } from './discord-channel/index.ts';
import { kbInsertFeature } from './kb-insert/index.ts';
import { supervisorAuditFeature } from './supervisor-audit/index.ts';
import { supervisorFiguresFeature } from './supervisor-figures/index.ts';

/** Every feature of the plugin, registered in this order by `FlexcordPlugin.init`. */
export const features: readonly FlexcordFeature[] = [
  discordChannelFeature,
  casePanelFeature,
  kbInsertFeature,
  caseDeskFeature,
  supervisorFiguresFeature,
  cannedRepliesFeature,
  supervisorAuditFeature,
];
