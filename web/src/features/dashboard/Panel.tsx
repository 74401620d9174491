import { Card, Col, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { ErrorState } from '../../components/ErrorState';

/** One dashboard card in the responsive grid: full width on phones, half or a third on desktop. */
export function Panel({ title, wide, children }: { title: string; wide?: boolean; children: ReactNode }) {
  return (
    <Col xs={24} lg={wide ? 24 : 12} xxl={wide ? 16 : 8}>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{title}</h2>} style={{ height: '100%' }}>
        {children}
      </Card>
    </Col>
  );
}

/** A card's own query: what it answered, or its failure said in the card (the other cards keep what theirs
 * answered), or a skeleton until it answers. */
export function Loaded<T>({ result, children }: { result: { data?: T; error?: unknown; refetch: () => unknown }; children: (data: T) => ReactNode }) {
  if (result.error && !result.data) return <ErrorState inline error={result.error} retry={() => void result.refetch()} />;
  if (!result.data) return <Skeleton active />;
  return children(result.data);
}
