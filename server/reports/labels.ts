/** The names a report shows for its groups: agents', teams' and inboxes' names, categories' names in the reader's language. */
import { Types } from 'mongoose';
import type { Models } from '../domain/models';
import type { Group } from './sources';

export type Lang = 'en' | 'zh-CN';

export async function groupLabels(
  models: Models,
  groupBy: Group,
  values: (string | null)[],
  lang: Lang,
): Promise<Record<string, string>> {
  const keys = values.filter((v): v is string => v !== null);
  if (keys.length === 0 || groupBy === 'none' || groupBy === 'channel') return {};
  if (groupBy === 'category') {
    const cats = await models.Category.find({ key: { $in: keys } }).lean();
    return Object.fromEntries(cats.map((c) => [c.key, lang === 'zh-CN' ? c.names.zh : c.names.en]));
  }
  const ids = keys.filter((k) => Types.ObjectId.isValid(k)).map((k) => new Types.ObjectId(k));
  const model = groupBy === 'agent' ? models.Agent : groupBy === 'team' ? models.Team : models.Inbox;
  const docs = await (model as Models['Team']).find({ _id: { $in: ids } }, { name: 1 }).lean();
  return Object.fromEntries(docs.map((d) => [String(d._id), d.name]));
}
