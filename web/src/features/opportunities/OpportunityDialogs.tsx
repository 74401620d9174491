import { useMutation, useQuery } from '@apollo/client/react';
import { App, DatePicker, Form, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { FormDialog } from '../../components/FormDialog';
import type { UpdateOpportunityInput } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { FORECAST_CATEGORIES, forecastLabel } from './labels';
import { CloseOpportunityMutation, OpportunityContactOptionsQuery, UpdateOpportunityMutation } from './operations';
import { strings } from './strings';

/** What the dialogs need of the opportunity shown. */
export interface Editable {
  id: string;
  name: string;
  amount?: string | null;
  currency: string;
  expectedCloseDate?: string | null;
  contactId?: string | null;
  forecastCategory: string;
  description: string;
  account: { id: string };
}

interface EditValues {
  name: string;
  amount?: string;
  expectedCloseDate?: Dayjs | null;
  contactId?: string | null;
  forecastCategory: string;
  description?: string;
}

/** Edit what a rep keeps up to date; only what changed is sent, an emptied amount, date or contact as null. */
export function EditOpportunityDialog({ opportunity: o, onClose }: { opportunity: Editable; onClose: () => void }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const [update] = useMutation(UpdateOpportunityMutation);
  const contacts = useQuery(OpportunityContactOptionsQuery, { variables: { accountId: o.account.id } });

  async function run(values: EditValues) {
    const input: UpdateOpportunityInput = {};
    const name = values.name.trim();
    if (name !== o.name) input.name = name;
    const amount = values.amount?.trim() ?? '';
    if (amount ? !o.amount || Number(amount) !== Number(o.amount) : o.amount) input.amount = amount || null;
    const date = values.expectedCloseDate?.format('YYYY-MM-DD') ?? null;
    if (date !== (o.expectedCloseDate ?? null)) input.expectedCloseDate = date;
    const contactId = values.contactId ?? null;
    if (contactId !== (o.contactId ?? null)) input.contactId = contactId;
    if (values.forecastCategory !== o.forecastCategory) input.forecastCategory = values.forecastCategory;
    const description = values.description?.trim() ?? '';
    if (description !== o.description) input.description = description;
    if (Object.keys(input).length) await update({ variables: { id: o.id, input } });
    message.success(t('form.saved'));
  }

  return (
    <FormDialog<EditValues>
      title={s('opp.editTitle')}
      okText={t('form.save')}
      open
      onClose={onClose}
      initialValues={{
        name: o.name,
        amount: o.amount ?? '',
        expectedCloseDate: o.expectedCloseDate ? dayjs(o.expectedCloseDate) : null,
        contactId: o.contactId ?? undefined,
        forecastCategory: o.forecastCategory,
        description: o.description,
      }}
      run={run}
    >
      {() => (
        <>
          <Form.Item name="name" label={t('opps.name')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('opps.name') }) }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="amount" label={`${t('opps.amount')} (${o.currency})`}>
            <Input inputMode="decimal" />
          </Form.Item>
          <Form.Item name="expectedCloseDate" label={t('opps.close')}>
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="contactId" label={s('opp.contact')}>
            <Select
              showSearch
              allowClear
              optionFilterProp="label"
              loading={contacts.loading}
              options={contacts.data?.contacts.edges.map(({ node }) => ({
                value: node.id,
                label: node.title ? `${node.name} · ${node.title}` : node.name,
              }))}
            />
          </Form.Item>
          <Form.Item name="forecastCategory" label={t('opps.forecastCategory')}>
            <Select options={FORECAST_CATEGORIES.map((c) => ({ value: c, label: forecastLabel(s, c) }))} />
          </Form.Item>
          <Form.Item name="description" label={t('opps.description')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}

interface CloseValues {
  reason: string;
  competitor?: string;
}

/** Close as won or lost: a reason always, and for a lost deal the competitor who took it, if known. */
export function CloseOpportunityDialog({
  opportunity: o,
  won,
  onClose,
  onClosed,
}: {
  opportunity: Editable;
  won: boolean;
  onClose: () => void;
  onClosed: () => void;
}) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const [close] = useMutation(CloseOpportunityMutation);

  async function run(values: CloseValues) {
    const competitor = values.competitor?.trim() || null;
    await close({ variables: { id: o.id, won, reason: values.reason.trim(), competitor: won ? null : competitor } });
    message.success(s(won ? 'opp.closedWon' : 'opp.closedLost'));
    onClosed();
  }

  return (
    <FormDialog<CloseValues>
      title={s(won ? 'opp.wonTitle' : 'opp.lostTitle', { name: o.name })}
      okText={s(won ? 'opp.won' : 'opp.lost')}
      open
      onClose={onClose}
      initialValues={won ? { reason: '' } : { reason: '', competitor: '' }}
      run={run}
    >
      {() => (
        <>
          <Form.Item name="reason" label={s('opp.reason')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: s('opp.reason') }) }]}>
            <Input.TextArea rows={3} maxLength={500} placeholder={s(won ? 'opp.wonReasonHint' : 'opp.lostReasonHint')} autoFocus />
          </Form.Item>
          {!won && (
            <Form.Item name="competitor" label={s('opp.competitor')}>
              <Input maxLength={200} />
            </Form.Item>
          )}
        </>
      )}
    </FormDialog>
  );
}
