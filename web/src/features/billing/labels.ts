import type { Translate } from '../../i18n';
import type { MessageKey } from '../../i18n/strings';

export const CONTRACT_STATUSES = ['draft', 'pending_approval', 'approved', 'signed', 'active', 'expired', 'terminated'] as const;
export const ORDER_STATUSES = ['confirmed', 'fulfilled', 'cancelled'] as const;
export const INVOICE_STATUSES = ['open', 'partially_paid', 'paid', 'void'] as const;
export const AGING_BUCKETS = ['0-30', '31-60', '61-90', '90+'] as const;
export const PAYMENT_METHODS = ['bank_transfer', 'cash', 'cheque', 'card', 'alipay', 'wechat_pay', 'other'] as const;

function label(t: Translate, prefix: string, known: readonly string[], value: string): string {
  return known.includes(value) ? t(`${prefix}.${value}` as MessageKey) : value;
}

export const contractStatusLabel = (t: Translate, s: string) => label(t, 'contractStatus', CONTRACT_STATUSES, s);
export const orderStatusLabel = (t: Translate, s: string) => label(t, 'orderStatus', ORDER_STATUSES, s);
export const invoiceStatusLabel = (t: Translate, s: string) => label(t, 'invoiceStatus', INVOICE_STATUSES, s);
export const paymentMethodLabel = (t: Translate, s: string) => label(t, 'paymentMethod', PAYMENT_METHODS, s);
