import { Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import type { CampaignRowFragment } from '../../gql/graphql';
import { money } from '../opportunities/labels';
import { useStrings } from '../../i18n';
import { strings } from './strings';

// the colours whose text keeps WCAG AA contrast
const BUDGET_COLOURS: Record<string, string> = { SUBMITTED: 'blue', REJECTED: 'red' };

/** Campaign rows as the list and the dashboards show them; on a phone name, status and budget. */
export function CampaignTable({ rows, loading }: { rows: CampaignRowFragment[]; loading?: boolean }) {
  const s = useStrings(strings);
  return (
    <Table
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={rows}
      pagination={false}
      scroll={{ x: 'max-content' }}
      columns={[
        {
          title: s('field.name'),
          dataIndex: 'name',
          render: (name: string, row) => <Link to={`/campaigns/${row.id}`}>{name}</Link>,
        },
        { title: s('field.type'), key: 'type', responsive: ['md'], render: (_, row) => s(`type.${row.type}`) },
        { title: s('field.status'), key: 'status', render: (_, row) => <Tag>{s(`status.${row.status}`)}</Tag> },
        {
          title: s('field.budgetStatus'),
          key: 'budgetStatus',
          render: (_, row) => <Tag color={BUDGET_COLOURS[row.budgetStatus]}>{s(`budget.${row.budgetStatus}`)}</Tag>,
        },
        {
          title: s('field.budget'),
          key: 'budget',
          responsive: ['sm'],
          render: (_, row) => money(row.budgetTotal, row.currency) || `0 ${row.currency}`,
        },
        { title: s('field.actual'), key: 'actual', responsive: ['lg'], render: (_, row) => money(row.actualCost, row.currency) || `0 ${row.currency}` },
        { title: s('field.dates'), key: 'dates', responsive: ['lg'], render: (_, row) => `${row.startsOn} – ${row.endsOn}` },
        { title: s('field.owner'), key: 'owner', responsive: ['lg'], render: (_, row) => row.owner?.displayName },
      ]}
    />
  );
}
