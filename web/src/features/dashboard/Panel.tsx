import { Card, Col } from 'antd';
import type { ReactNode } from 'react';

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
