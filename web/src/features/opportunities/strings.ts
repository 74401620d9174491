import type { Catalogue } from '../../i18n';

/** The opportunity screens' own strings, loaded with their routes. */
export const strings = {
  'zh-CN': {
    'fill.title': '移至「{stage}」',
    'fill.intro': '「{stage}」阶段要求先填写以下信息，保存后商机移入该阶段。',
    'fill.save': '保存并移动',
    'fill.product': '产品 {n}',
    'fill.quantity': '数量 {n}',
    'fill.addLine': '添加产品',
    'fill.removeLine': '删除产品 {n}',
    'fill.noContacts': '该客户还没有联系人，请先在客户页添加。',
    'fill.openAccount': '打开客户 {name}',
  },
  en: {
    'fill.title': 'Move to “{stage}”',
    'fill.intro': 'The stage “{stage}” needs the following first; once saved, the opportunity moves into it.',
    'fill.save': 'Save and move',
    'fill.product': 'Product {n}',
    'fill.quantity': 'Quantity {n}',
    'fill.addLine': 'Add a product',
    'fill.removeLine': 'Remove product {n}',
    'fill.noContacts': 'This account has no contacts yet; add one on the account’s page first.',
    'fill.openAccount': 'Open account {name}',
  },
} satisfies Catalogue<string>;
