import { Typography } from 'antd';
import { useStrings } from '../../i18n';
import ServiceDashboard from './ServiceDashboard';
import { catalogue } from './strings';

export default function ServiceDashboardPage() {
  const s = useStrings(catalogue);
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
        {s('svc.title')}
      </Typography.Title>
      <ServiceDashboard />
    </>
  );
}
