import { Card, Flex, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useStrings } from '../../i18n';
import { colour, useDuration, useNow, type Clock } from './sla';
import { strings } from './strings';

/** Each live clock counting down to its due time each second (and up past it once breached); the business
 * minutes left are the API's, renewed with the ticket; a paused clock shows only those, a met one when it was met. `onDue` asks again
 * when one runs out. */
export function SlaClocks({ clocks, onDue }: { clocks: Clock[]; onDue: () => void }) {
  const s = useStrings(strings);
  const now = useNow();
  const duration = useDuration();
  const due = clocks.some((c) => c.state === 'RUNNING' && c.dueAt && Date.parse(c.dueAt) <= now);
  useEffect(() => {
    if (due) onDue();
  }, [due, onDue]);
  if (!clocks.length) return null;
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('clocks')}</h2>}>
      <Flex wrap gap={16}>
        {clocks.map((clock) => {
          const left = clock.dueAt ? (Date.parse(clock.dueAt) - now) / 1000 : null;
          const minutes = Math.abs(clock.remainingMinutes);
          return (
            <Flex key={`${clock.kind}-${clock.cycle}`} vertical gap={2} style={{ flex: '1 1 180px' }} role="group" aria-label={s(`clock.${clock.kind}`)}>
              <Typography.Text strong>{s(`clock.${clock.kind}`)}</Typography.Text>
              <span>
                <Tag color={colour(clock)}>{s(`state.${clock.state}`)}</Tag>
              </span>
              {(clock.state === 'RUNNING' || clock.state === 'BREACHED') && !clock.stoppedAt && left !== null && (
                <span className="sla-countdown" style={{ fontVariantNumeric: 'tabular-nums', fontSize: 18 }}>
                  {left >= 0 ? s('clock.dueIn', { time: duration(left) }) : s('clock.overdueBy', { time: duration(-left) })}
                </span>
              )}
              {clock.state === 'MET' ? (
                // an achieved clock has no time left to show, only when it was met
                clock.stoppedAt && (
                  <Typography.Text type="secondary">{s('clock.metAt', { time: new Date(clock.stoppedAt).toLocaleString() })}</Typography.Text>
                )
              ) : (
                <Typography.Text type="secondary">
                  {clock.state === 'PAUSED'
                    ? s('clock.pausedLeft', { minutes })
                    : clock.remainingMinutes >= 0
                      ? s('clock.left', { minutes })
                      : s('clock.over', { minutes })}
                </Typography.Text>
              )}
              {clock.dueAt && clock.state !== 'MET' && (
                <Typography.Text type="secondary">{new Date(clock.dueAt).toLocaleString()}</Typography.Text>
              )}
            </Flex>
          );
        })}
      </Flex>
    </Card>
  );
}
