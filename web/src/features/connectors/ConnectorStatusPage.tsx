import { useQuery } from '@apollo/client/react';
import { Card, Col, Row, Skeleton, Space, Statistic, Typography } from 'antd';
import { ErrorState } from '../../components/ErrorState';
import { useI18n, useStrings } from '../../i18n';
import { ConnectorStatusQuery } from './operations';
import { strings } from './strings';

const FIGURES = ['received', 'applied', 'unmatched', 'failed'] as const;

/** For administrators: what each connector (phone system, ERP, email logging) took in, applied, kept
 * unmatched and failed, so a connector that stopped working or matches nobody shows. */
export default function ConnectorStatusPage() {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { data, error, refetch } = useQuery(ConnectorStatusQuery, { fetchPolicy: 'cache-and-network' });
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('nav.connectors')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {s('connectors.hint')}
      </Typography.Paragraph>
      {!data && <Skeleton active />}
      <Row gutter={[16, 16]}>
        {data?.connectorStatus.map((figures) => (
          <Col key={figures.connector} xs={24} lg={8}>
            <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s(`connector.${figures.connector}`)}</h2>}>
              <Row gutter={[8, 8]} role="list" aria-label={s(`connector.${figures.connector}`)}>
                {FIGURES.map((figure) => (
                  <Col key={figure} span={6} role="listitem">
                    <Statistic title={s(`figure.${figure}`)} value={figures[figure]} />
                  </Col>
                ))}
              </Row>
            </Card>
          </Col>
        ))}
      </Row>
    </Space>
  );
}
