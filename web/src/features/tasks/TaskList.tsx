import { CheckOutlined } from '@ant-design/icons';
import { useMutation } from '@apollo/client/react';
import { App, Button, List, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { describe } from '../../api/errors';
import type { TaskItemFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n';
import { dateTime } from './dates';
import { CompleteTaskMutation } from './operations';

/** Tasks with a large complete button each (thumb-sized on phones); a completed one stays in place, marked done. */
export function TaskList({ tasks, empty, onDone }: { tasks: TaskItemFragment[]; empty: string; onDone?: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [complete] = useMutation(CompleteTaskMutation);
  const [pending, setPending] = useState<string | null>(null);

  async function finish(id: string) {
    setPending(id);
    try {
      await complete({ variables: { id } });
      message.success(t('tasks.done'));
      onDone?.();
    } catch (failure) {
      message.error(describe(failure, t));
    } finally {
      setPending(null);
    }
  }

  return (
    <List
      dataSource={tasks}
      locale={{ emptyText: empty }}
      renderItem={(task) => (
        <List.Item
          actions={
            task.status === 'open'
              ? [
                  <Button
                    key="done"
                    size="large"
                    icon={<CheckOutlined />}
                    aria-label={t('tasks.completeNamed', { title: task.title })}
                    loading={pending === task.id}
                    onClick={() => void finish(task.id)}
                  >
                    {t('tasks.complete')}
                  </Button>,
                ]
              : [<Tag key="done">{t('tasks.status.done')}</Tag>]
          }
        >
          <List.Item.Meta
            title={task.accountId ? <Link to={`/accounts/${task.accountId}`}>{task.title}</Link> : task.title}
            description={
              <Typography.Text type="secondary">
                {t('tasks.dueAt')} {dateTime(task.dueAt)}
                {task.assignee?.displayName && ` · ${task.assignee.displayName}`}
              </Typography.Text>
            }
          />
        </List.Item>
      )}
    />
  );
}
