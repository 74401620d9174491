import { useMutation, useQuery } from '@apollo/client/react';
import { Form, Input, InputNumber, Select, Switch, Tag } from 'antd';
import { can } from '../../../api/session';
import { FormDialog } from '../../../components/FormDialog';
import { within } from '../../../components/forms';
import type { RoutingRulesQuery } from '../../../gql/graphql';
import { useI18n, useStrings } from '../../../i18n';
import { RoutingRulesQuery as Query, SaveRoutingRuleMutation } from '../operations';
import { catalogue } from '../strings';
import { AdminList } from './AdminList';
import { TYPES } from '../../tickets/labels';
import { LEVELS } from './choices';

type Rule = RoutingRulesQuery['routingRules'][number];
type Values = Omit<Rule, 'id' | '__typename' | 'teamId'> & { teamId?: string };

/** Which team new tickets go to: the first active rule (lowest rank) whose type, province, customer level
 * and product all fit. */
export default function RoutingRulesPage() {
  const s = useStrings(catalogue);
  const { t } = useI18n();
  const { data, loading, error, refetch } = useQuery(Query);
  const teamName = (id: string) => data?.serviceTeams.find((team) => team.id === id)?.name ?? id;
  const tags = (values: readonly string[], label?: (v: string) => string) =>
    values.length ? values.map((v) => <Tag key={v}>{label ? label(v) : v}</Tag>) : s('admin.any');
  return (
    <AdminList<Rule>
      title={t('nav.routingRules')}
      newLabel={s('routing.new')}
      rows={data?.routingRules}
      rowKey={(rule) => rule.id}
      name={(rule) => rule.name}
      loading={loading}
      error={error}
      retry={() => void refetch()}
      editable={can('support:team:update') || can('support:team:create')}
      columns={[
        { title: s('admin.rank'), dataIndex: 'rank' },
        { title: s('admin.name'), dataIndex: 'name' },
        { title: s('routing.team'), dataIndex: 'teamId', render: teamName },
        { title: s('admin.types'), dataIndex: 'types', render: (v: Rule['types']) => tags(v, (x) => s(`type.${x as Rule['types'][number]}`)) },
        { title: s('routing.provinces'), dataIndex: 'provinces', responsive: ['md'], render: (v: string[]) => tags(v) },
        { title: s('admin.levels'), dataIndex: 'levels', responsive: ['md'], render: (v: string[]) => tags(v) },
        { title: s('admin.active'), dataIndex: 'active', render: (on: boolean) => <Tag>{on ? s('admin.on') : s('admin.off')}</Tag> },
      ]}
      dialog={(rule, onClose) => <RuleDialog rule={rule} teams={data?.serviceTeams ?? []} onClose={onClose} />}
    />
  );
}

function RuleDialog({ rule, teams, onClose }: { rule: Rule | null; teams: { id: string; name: string }[]; onClose: () => void }) {
  const s = useStrings(catalogue);
  const { t } = useI18n();
  const [save] = useMutation(SaveRoutingRuleMutation, { refetchQueries: ['RoutingRules'] });
  const required = (label: string) => [{ required: true, message: t('form.required', { field: label }) }];
  return (
    <FormDialog<Values>
      okText={t('form.save')}
      done={t('form.saved')}
      title={rule ? s('admin.editing', { name: rule.name }) : s('routing.new')}
      open
      onClose={onClose}
      initialValues={{
        name: rule?.name ?? '',
        rank: rule?.rank ?? 100,
        teamId: rule?.teamId,
        types: rule?.types ?? [],
        provinces: rule?.provinces ?? [],
        levels: rule?.levels ?? [],
        products: rule?.products ?? [],
        active: rule?.active ?? true,
      }}
      run={(values) => save({ variables: { id: rule?.id ?? null, input: { ...values, teamId: values.teamId ?? '' } } })}
    >
      {() => (
        <>
          <Form.Item name="name" label={s('admin.name')} rules={required(s('admin.name'))}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="teamId" label={s('routing.team')} rules={required(s('routing.team'))}>
            <Select options={teams.map((team) => ({ value: team.id, label: team.name }))} />
          </Form.Item>
          <Form.Item name="rank" label={s('admin.rank')} extra={s('admin.rankHint')} rules={[within(t, s('admin.rank'), 0, 10000)]}>
            <InputNumber />
          </Form.Item>
          <Form.Item name="types" label={s('admin.types')} extra={s('admin.emptyIsAny')}>
            <Select mode="multiple" options={TYPES.map((v) => ({ value: v, label: s(`type.${v}`) }))} />
          </Form.Item>
          <Form.Item name="provinces" label={s('routing.provinces')} extra={s('admin.emptyIsAny')}>
            <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，']} />
          </Form.Item>
          <Form.Item name="levels" label={s('admin.levels')} extra={s('admin.emptyIsAny')}>
            <Select mode="multiple" options={LEVELS.map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <Form.Item name="products" label={s('routing.products')} extra={s('routing.productsHint')}>
            <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', ' ']} />
          </Form.Item>
          <Form.Item name="active" label={s('admin.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}
