/** Where the console shows a record of a topic: a run's subject and a sample's id link there. */
const PAGES: Record<string, string> = {
  'crm.customer.account': '/accounts/',
  'crm.sales.lead': '/leads/',
  'crm.sales.opportunity': '/opportunities/',
  'crm.sales.quote': '/quotes/',
  'crm.sales.contract': '/contracts/',
  'crm.sales.order': '/orders/',
  'crm.sales.invoice': '/invoices/',
  'crm.marketing.campaign': '/campaigns/',
  'crm.support.ticket': '/tickets/',
};

export function recordPath(topic: string | null | undefined, id: string | null | undefined): string | null {
  const base = topic ? PAGES[topic] : undefined;
  return base && id ? `${base}${id}` : null;
}

/** The record kind's word key for a topic (`crm.sales.lead` is `lead`). */
export function recordKind(topic: string | null | undefined): string {
  return topic?.split('.').at(-1) ?? '';
}
