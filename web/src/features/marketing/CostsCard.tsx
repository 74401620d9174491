import { useMutation } from '@apollo/client/react';
import { App, Button, Card, DatePicker, Form, Input, Skeleton, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Suspense, lazy, useMemo, useState } from 'react';
import { can } from '../../api/session';
import { FormDialog } from '../../components/FormDialog';
import type { CampaignQuery as Campaign } from '../../gql/graphql';
import { money } from '../opportunities/labels';
import { useI18n, useStrings } from '../../i18n';
import { RecordCostMutation } from './operations';
import { strings } from './strings';

const Chart = lazy(() => import('../../components/Chart'));
const COSTED = ['APPROVED', 'RUNNING', 'COMPLETED'];

interface CostValues {
  category: string;
  amount: string;
  incurredOn: Dayjs;
  note: string;
}

/** Actual costs against the approved budget, per category in a chart; a cost is recorded once the
 * budget is approved. */
export function CostsCard({ campaign }: { campaign: Campaign['campaign'] }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const [recording, setRecording] = useState(false);
  const [record] = useMutation(RecordCostMutation, { refetchQueries: ['Campaign'] });
  const option = useMemo(() => {
    const sum = (rows: { category: string; amount: string }[], category: string) =>
      rows.filter((row) => row.category === category).reduce((total, row) => total + Number(row.amount), 0);
    const categories = [...new Set([...campaign.budgetLines, ...campaign.costs].map((row) => row.category))];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 3 ? 30 : 0 } },
      yAxis: { type: 'value' },
      series: [
        { type: 'bar', name: s('field.budget'), data: categories.map((c) => sum(campaign.budgetLines, c)) },
        { type: 'bar', name: s('field.actual'), data: categories.map((c) => sum(campaign.costs, c)) },
      ],
    };
  }, [campaign.budgetLines, campaign.costs, s]);

  return (
    <Card
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('campaign.costs')}</h2>}
      extra={
        COSTED.includes(campaign.status) &&
        can('marketing:campaign:update') && <Button onClick={() => setRecording(true)}>{s('campaign.recordCost')}</Button>
      }
    >
      <Typography.Paragraph>
        {s('field.actual')} <strong>{money(campaign.actualCost, campaign.currency) || `0 ${campaign.currency}`}</strong> / {s('field.budget')}{' '}
        <strong>{money(campaign.budgetTotal, campaign.currency) || `0 ${campaign.currency}`}</strong>
      </Typography.Paragraph>
      {(campaign.budgetLines.length > 0 || campaign.costs.length > 0) && (
        <Suspense fallback={<Skeleton active />}>
          <Chart label={s('campaign.costChart')} option={option} height={240} />
        </Suspense>
      )}
      {campaign.costs.length > 0 && (
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={campaign.costs}
          columns={[
            { title: s('field.incurredOn'), dataIndex: 'incurredOn' },
            { title: s('field.category'), dataIndex: 'category' },
            { title: s('field.amount'), dataIndex: 'amount', align: 'right', render: (amount: string) => money(amount, campaign.currency) },
            { title: s('field.note'), dataIndex: 'note', responsive: ['sm'] },
          ]}
        />
      )}
      <FormDialog<CostValues>
        title={s('campaign.recordCost')}
        open={recording}
        onClose={() => setRecording(false)}
        initialValues={{ category: '', amount: '', incurredOn: dayjs(), note: '' }}
        run={async (values) => {
          const input = { ...values, incurredOn: values.incurredOn.format('YYYY-MM-DD'), note: values.note || null };
          await record({ variables: { id: campaign.id, input } });
          void message.success(s('campaign.costRecorded'));
        }}
      >
        {() => (
          <>
            <Form.Item name="category" label={s('field.category')} rules={[{ required: true, message: t('form.required', { field: s('field.category') }) }]}>
              <Input />
            </Form.Item>
            <Form.Item name="amount" label={s('field.amount')} rules={[{ required: true, message: t('form.required', { field: s('field.amount') }) }]}>
              <Input inputMode="decimal" />
            </Form.Item>
            <Form.Item name="incurredOn" label={s('field.incurredOn')} rules={[{ required: true, message: t('form.required', { field: s('field.incurredOn') }) }]}>
              <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="note" label={s('field.note')}>
              <Input />
            </Form.Item>
          </>
        )}
      </FormDialog>
    </Card>
  );
}
