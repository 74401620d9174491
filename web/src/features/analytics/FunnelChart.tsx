import { Skeleton } from 'antd';
import { lazy, Suspense } from 'react';
import { useNavigate } from 'react-router-dom';

const Chart = lazy(() => import('../../components/Chart'));

/** The funnel of a pipeline's stages; a stage picked opens its opportunities. */
export function FunnelChart({ label, stages }: { label: string; stages: { id?: string | null; name: string; count: number }[] }) {
  const navigate = useNavigate();
  return (
    <Suspense fallback={<Skeleton active />}>
      <Chart
        label={label}
        onPick={(_, index) => {
          const stage = stages[index];
          if (stage?.id) navigate(`/opportunities?stageId=${stage.id}`);
        }}
        option={{
          tooltip: { trigger: 'item' },
          series: [
            {
              type: 'funnel',
              sort: 'none',
              left: '5%',
              width: '90%',
              label: { position: 'inside' },
              data: stages.map((stage) => ({ name: stage.name, value: stage.count })),
            },
          ],
        }}
      />
    </Suspense>
  );
}
