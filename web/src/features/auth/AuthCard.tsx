import { Button, Card, Flex } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';

/** The frame of the pages shown before sign-in, with the language switch. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  const { t, language, setLanguage } = useI18n();
  return (
    <Flex component="main" justify="center" align="center" style={{ minHeight: '100vh', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
          <h1 style={{ fontSize: 20, margin: 0 }}>{title}</h1>
          <Button
            type="link"
            aria-label={`${t('lang.switch')} (${t('lang.label')})`}
            onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')}
          >
            {t('lang.switch')}
          </Button>
        </Flex>
        {children}
      </Card>
    </Flex>
  );
}
