import type { Catalogue } from '../../i18n';

/** The billing screens' own strings, loaded with their routes. */
export const strings = {
  'zh-CN': {
    'payments.title': '收款记录',
    'payments.count': '共 {count} 笔收款',
    'payments.from': '收款起始日期',
    'payments.to': '收款截止日期',
    'payments.filterMethod': '按收款方式筛选',
    'payments.invoice': '发票',
    'payments.account': '客户',
    'payments.amount': '金额',
    'payments.currency': '币种',
    'payments.caption': '收款记录',
    'payments.all': '查看全部收款',
  },
  en: {
    'payments.title': 'Payments',
    'payments.count': '{count} payments',
    'payments.from': 'Received from',
    'payments.to': 'Received until',
    'payments.filterMethod': 'Filter by method',
    'payments.invoice': 'Invoice',
    'payments.account': 'Account',
    'payments.amount': 'Amount',
    'payments.currency': 'Currency',
    'payments.caption': 'Payments',
    'payments.all': 'All payments',
  },
} satisfies Catalogue<string>;
