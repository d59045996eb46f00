/** The signed-in frame: header with organisation and user menu, navbar of permitted tabs, the page. */
import { Alert, AppShell, Burger, Button, Center, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { Outlet } from 'react-router';
import { PageLoader } from '../../components/PageLoader.js';
import { isApiError } from '../../lib/api.js';
import { errorMessage } from '../../lib/errors.js';
import { useLanguage, useT } from '../../lib/i18n.js';
import { MeProvider, useMeQuery } from '../../lib/session.js';
import { NavLinks } from './NavLinks.js';
import { UserMenu } from './UserMenu.js';

/** Loads /me, then renders the AppShell around the current route. */
export function Shell() {
  const t = useT();
  const { setLanguage } = useLanguage();
  const meQuery = useMeQuery();
  const [navOpened, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const syncedUser = useRef<string | null>(null);
  const me = meQuery.data;

  useEffect(() => {
    if (!me || syncedUser.current === me.user.id) return;
    syncedUser.current = me.user.id;
    setLanguage(me.user.language);
  }, [me, setLanguage]);

  if (!me) {
    if (meQuery.isError && !(isApiError(meQuery.error) && meQuery.error.status === 401)) {
      return (
        <Center mih="100dvh" p="md">
          <Stack maw={420}>
            <Alert color="red" title={t('shell.loadError')}>
              {errorMessage(t, meQuery.error)}
            </Alert>
            <Button onClick={() => void meQuery.refetch()}>{t('common.retry')}</Button>
          </Stack>
        </Center>
      );
    }
    return <PageLoader fullScreen />;
  }

  const { organisation } = me;
  return (
    <MeProvider me={me}>
      <AppShell
        header={{ height: 60 }}
        navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
            <Group gap="sm" wrap="nowrap" miw={0}>
              <Burger
                opened={navOpened}
                onClick={toggleNav}
                hiddenFrom="sm"
                size="sm"
                aria-label={t('shell.toggleNav')}
              />
              <Text fw={700} c="blue.7" visibleFrom="xs">
                {t('app.name')}
              </Text>
              <Stack gap={0} miw={0}>
                <Text fw={600} size="sm" truncate="end" data-testid="org-name">
                  {organisation.name}
                </Text>
                {organisation.accountNumber && (
                  <Text size="xs" c="dimmed" truncate="end" data-testid="account-number">
                    {t('shell.accountNumber', { number: organisation.accountNumber })}
                  </Text>
                )}
              </Stack>
            </Group>
            <UserMenu />
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="sm" aria-label={t('shell.mainNav')}>
          <NavLinks onNavigate={closeNav} />
        </AppShell.Navbar>
        <AppShell.Main>
          <Outlet />
        </AppShell.Main>
      </AppShell>
    </MeProvider>
  );
}
