import type { Translate } from '../../i18n';
import type { MessageKey } from '../../i18n/strings';
import type { Key } from './strings';

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const;
export const QUOTE_STATUSES = ['draft', 'pending_approval', 'approved', 'rejected', 'accepted', 'superseded'] as const;

export function opportunityStatusLabel(t: Translate, status: string): string {
  return (OPPORTUNITY_STATUSES as readonly string[]).includes(status) ? t(`oppStatus.${status}` as MessageKey) : status;
}

export function quoteStatusLabel(t: Translate, status: string): string {
  return (QUOTE_STATUSES as readonly string[]).includes(status) ? t(`quoteStatus.${status}` as MessageKey) : status;
}

export function money(amount: string | null | undefined, currency: string): string {
  return amount ? `${Number(amount).toLocaleString()} ${currency}` : '';
}

export const FORECAST_CATEGORIES = ['pipeline', 'best_case', 'commit', 'omitted'] as const;

export function forecastLabel(s: (key: Key) => string, category: string): string {
  return (FORECAST_CATEGORIES as readonly string[]).includes(category) ? s(`forecast.${category}` as Key) : category;
}

/** The currencies sales converts (its base and configured rates); others are refused at the field. */
export const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD'] as const;
