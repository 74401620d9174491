import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, DatePicker, Flex, Form, Input, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { Link } from 'react-router-dom';
import { FormDialog } from '../../components/FormDialog';
import type { BoardCardFragment, UpdateOpportunityInput } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import type { MessageKey } from '../../i18n/strings';
import { MoveOpportunityMutation, StageChoicesQuery } from './operations';
import { strings } from './strings';

/** What a stage may require (sales' REQUIRABLE), as the API names each field in its errors. */
export const REQUIRABLE = {
  amount: 'amount',
  expected_close_date: 'expectedCloseDate',
  contact_id: 'contactId',
  lines: 'lines',
  description: 'description',
} as const;
export type Requirable = keyof typeof REQUIRABLE;

function present(o: BoardCardFragment, field: Requirable): boolean {
  switch (field) {
    case 'amount':
      return Number(o.amount ?? 0) !== 0;
    case 'expected_close_date':
      return Boolean(o.expectedCloseDate);
    case 'contact_id':
      return Boolean(o.contactId);
    case 'lines':
      return o.lines.length > 0;
    case 'description':
      return Boolean(o.description);
  }
}

/** The fields a stage requires that the opportunity lacks, as the API checks them. */
export function missingFor(o: BoardCardFragment, required: readonly string[]): Requirable[] {
  return required.filter((f): f is Requirable => f in REQUIRABLE && !present(o, f as Requirable));
}

/** The requirable field an API error names (a stale board), if any. */
export function requirableNamed(field: string | undefined): Requirable | undefined {
  return (Object.keys(REQUIRABLE) as Requirable[]).find((k) => REQUIRABLE[k] === field);
}

interface Values {
  amount?: string;
  expectedCloseDate?: Dayjs;
  contactId?: string;
  description?: string;
  lines?: { productId?: string; quantity?: string }[];
}

interface Props {
  opportunity: BoardCardFragment;
  stage: { id: string; name: string };
  fields: Requirable[];
  onClose: () => void;
}

/** Asks for exactly what the target stage still needs and saves it with the move, in one call: nothing is
 * kept if the API refuses, and its field errors show next to their fields. */
export function StageFieldsDialog({ opportunity, stage, fields, onClose }: Props) {
  const { t } = useI18n();
  const s = useStrings(strings);
  // products make the amount, so a stage wanting both asks for the products only
  const asked = fields.includes('lines') ? fields.filter((f) => f !== 'amount') : fields;
  const has = (f: Requirable) => asked.includes(f);
  const choices = useQuery(StageChoicesQuery, {
    variables: { accountId: opportunity.account.id, contacts: has('contact_id'), products: has('lines') },
    skip: !has('contact_id') && !has('lines'),
  });
  const [move] = useMutation(MoveOpportunityMutation);
  const contacts = choices.data?.contacts?.edges.map((e) => e.node) ?? [];
  const products = (choices.data?.products?.edges.map((e) => e.node) ?? []).filter((p) => p.currency === opportunity.currency);
  const label = (f: Requirable) => t(`pipelines.field.${f}` as MessageKey);
  const required = (name: string) => [{ required: true, whitespace: true, message: t('form.required', { field: name }) }];

  async function run(values: Values) {
    const input: UpdateOpportunityInput = {};
    if (has('amount')) input.amount = values.amount?.trim();
    if (has('expected_close_date')) input.expectedCloseDate = values.expectedCloseDate?.format('YYYY-MM-DD');
    if (has('contact_id')) input.contactId = values.contactId;
    if (has('description')) input.description = values.description?.trim();
    const lines = has('lines')
      ? (values.lines ?? []).map((l) => ({ productId: l.productId!, quantity: (l.quantity ?? '').trim() || '1' }))
      : null;
    await move({
      variables: { id: opportunity.id, stageId: stage.id, input: Object.keys(input).length ? input : null, lines },
    });
  }

  return (
    <FormDialog<Values>
      title={s('fill.title', { stage: stage.name })}
      okText={s('fill.save')}
      open
      onClose={onClose}
      initialValues={{ lines: [{ quantity: '1' }] }}
      run={run}
    >
      {() => (
        <>
          <Typography.Paragraph>
            <strong>{opportunity.name}</strong> · {s('fill.intro', { stage: stage.name })}
          </Typography.Paragraph>
          {has('amount') && (
            <Form.Item name="amount" label={`${label('amount')} (${opportunity.currency})`} rules={required(label('amount'))}>
              <Input inputMode="decimal" autoFocus />
            </Form.Item>
          )}
          {has('expected_close_date') && (
            <Form.Item name="expectedCloseDate" label={label('expected_close_date')} rules={[{ required: true, message: t('form.required', { field: label('expected_close_date') }) }]}>
              <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
            </Form.Item>
          )}
          {has('contact_id') && (
            <>
              {choices.data && !contacts.length && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 12 }}
                  message={s('fill.noContacts')}
                  action={
                    <Link to={`/accounts/${opportunity.account.id}`} aria-label={s('fill.openAccount', { name: opportunity.account.name })}>
                      {opportunity.account.name}
                    </Link>
                  }
                />
              )}
              <Form.Item name="contactId" label={label('contact_id')} rules={[{ required: true, message: t('form.required', { field: label('contact_id') }) }]}>
                <Select
                  loading={choices.loading}
                  showSearch
                  optionFilterProp="label"
                  options={contacts.map((c) => ({ value: c.id, label: c.title ? `${c.name} · ${c.title}` : c.name }))}
                />
              </Form.Item>
            </>
          )}
          {has('description') && (
            <Form.Item name="description" label={label('description')} rules={required(label('description'))}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          )}
          {has('lines') && (
            <Form.List name="lines">
              {(items, { add, remove }) => (
                <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
                  <legend style={{ fontSize: 14, marginBottom: 8 }}>{label('lines')}</legend>
                  {items.map((item, index) => (
                    <Flex key={item.key} wrap gap={8} align="flex-end">
                      <Form.Item
                        name={[item.name, 'productId']}
                        label={s('fill.product', { n: index + 1 })}
                        rules={[{ required: true, message: t('form.required', { field: s('fill.product', { n: index + 1 }) }) }]}
                        style={{ flex: '1 1 200px' }}
                      >
                        <Select
                          loading={choices.loading}
                          showSearch
                          optionFilterProp="label"
                          options={products.map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }))}
                        />
                      </Form.Item>
                      <Form.Item name={[item.name, 'quantity']} label={s('fill.quantity', { n: index + 1 })} style={{ flex: '0 1 100px' }}>
                        <Input inputMode="decimal" />
                      </Form.Item>
                      {items.length > 1 && (
                        <Form.Item>
                          <Button onClick={() => remove(item.name)} aria-label={s('fill.removeLine', { n: index + 1 })}>
                            ×
                          </Button>
                        </Form.Item>
                      )}
                    </Flex>
                  ))}
                  <Button onClick={() => add({ quantity: '1' })}>{s('fill.addLine')}</Button>
                </fieldset>
              )}
            </Form.List>
          )}
        </>
      )}
    </FormDialog>
  );
}
