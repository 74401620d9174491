import { useMutation } from '@apollo/client/react';
import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import type { QuoteDetailFragment } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { CreateContractMutation } from './operations';

interface Values {
  title: string;
  value: string;
  startDate: string;
  endDate: string;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** A contract from an accepted quote: its customer, opportunity and value carried over, a year from today. */
export function ContractDialog({ quote, open, onClose }: { quote: QuoteDetailFragment; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [create, creating] = useMutation(CreateContractMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const today = new Date();
  const nextYear = new Date(today);
  nextYear.setFullYear(today.getFullYear() + 1);

  async function submit(values: Values) {
    setProblem(null);
    try {
      const made = await create({
        variables: {
          input: {
            ...values,
            accountId: quote.account.id,
            currency: quote.currency,
            opportunityId: quote.opportunityId,
            quoteId: quote.id,
          },
        },
      });
      if (made.data) navigate(`/contracts/${made.data.createContract.id}`);
    } catch (failure) {
      const [left] = showFieldErrors(form, failure);
      if (left) setProblem(describe(failure, t));
    }
  }

  const required = (field: string) => [{ required: true, whitespace: true, message: t('form.required', { field }) }];
  return (
    <Modal
      title={t('contracts.fromQuote')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('form.create')}
      cancelText={t('form.cancel')}
      confirmLoading={creating.loading}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        initialValues={{
          title: `${quote.account.name} · V${quote.version}`,
          value: quote.total,
          startDate: isoDay(today),
          endDate: isoDay(nextYear),
        }}
      >
        <Form.Item name="title" label={s('contracts.name')} rules={required(s('contracts.name'))}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="value" label={`${s('contracts.value')} (${quote.currency})`} rules={required(s('contracts.value'))}>
          <Input inputMode="decimal" />
        </Form.Item>
        <Form.Item name="startDate" label={s('contracts.start')} rules={required(s('contracts.start'))}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="endDate" label={s('contracts.end')} rules={required(s('contracts.end'))}>
          <Input type="date" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
