import type { Translate } from '../../i18n';
import type { MessageKey } from '../../i18n/strings';
import type { Key } from './strings';

export const STATUSES = ['new', 'contacted', 'qualified', 'disqualified', 'converted'] as const;
/** Sources the suite itself sets; others are free text and shown as entered. */
export const SOURCES = ['web_form', 'import', '展会', '转介绍'] as const;

export function statusLabel(t: Translate, status: string): string {
  return (STATUSES as readonly string[]).includes(status) ? t(`leadStatus.${status}` as MessageKey) : status;
}

export function sourceLabel(s: (key: Key) => string, source: string): string {
  return source === 'web_form' ? s('leads.webForm') : source === 'import' ? s('leads.imported') : source;
}
