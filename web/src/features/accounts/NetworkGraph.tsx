import { useQuery } from '@apollo/client/react';
import { Empty, Skeleton } from 'antd';
import { lazy, Suspense } from 'react';
import { useNavigate } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';
import { AccountNetworkQuery } from './operations';

const Chart = lazy(() => import('../../components/Chart'));

/** The account's relationship network two steps out, drawn by ECharts' graph series; a node opens its account.
 * Each node's path names the account it was reached from, which gives the edges. */
export function NetworkGraph({ id, name }: { id: string; name: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { data, error, refetch } = useQuery(AccountNetworkQuery, { variables: { id } });
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!data) return <Skeleton active />;
  const nodes = data.accountNetwork;
  if (!nodes.length) return <Empty description={t('accounts.noNetwork')} />;
  const names = new Map([[id, name], ...nodes.map((n) => [n.account.id, n.account.name] as const)]);
  const ids = [...names.keys()];
  const edges = nodes.map((n) => {
    const from = n.path.at(-2) ?? id;
    return { source: names.has(from) ? from : id, target: n.account.id, value: n.relations.at(-1) ?? '' };
  });
  const label = (p: { name: string }) => names.get(p.name) ?? '';
  const tip = (p: { name: string; dataType?: string; data: { value?: string } }) =>
    p.dataType === 'edge' ? (p.data.value ?? '') : label(p);
  return (
    <Suspense fallback={<Skeleton active />}>
      <Chart
        label={`${t('accounts.network')}: ${[...names.values()].join('、')}`}
        height={360}
        onPick={(picked) => names.has(picked) && picked !== id && navigate(`/accounts/${picked}`)}
        option={{
          tooltip: { formatter: tip },
          series: [
            {
              type: 'graph',
              layout: 'force',
              roam: true,
              draggable: true,
              force: { repulsion: 220, edgeLength: 110 },
              label: { show: true, position: 'right', width: 120, overflow: 'truncate', formatter: label },
              edgeLabel: { show: true, formatter: (p: { data: { value: string } }) => p.data.value, fontSize: 11 },
              edgeSymbol: ['none', 'arrow'],
              data: ids.map((key, index) => ({
                name: key, // ids: two accounts may share a name
                symbolSize: index === 0 ? 36 : 24 - 4 * (nodes[index - 1]?.depth ?? 0),
                itemStyle: index === 0 ? { color: '#0958d9' } : undefined,
              })),
              links: edges,
            },
          ],
        }}
      />
    </Suspense>
  );
}
