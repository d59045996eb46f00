/** The user menu in the header: who is signed in, language, sign out. */
import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconCheck, IconChevronDown, IconLanguage, IconLogout } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { apiPatch, apiPost } from '../../lib/api.js';
import { notifySuccess, useNotifyError } from '../../lib/errors.js';
import { type Language, languages, useLanguage, useT } from '../../lib/i18n.js';
import { meQueryKey, useMe } from '../../lib/session.js';

/** Name, role, language choice (saved to the profile) and sign out. */
export function UserMenu() {
  const t = useT();
  const me = useMe();
  const { language, setLanguage } = useLanguage();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const notifyError = useNotifyError();
  const fullName = `${me.user.firstName} ${me.user.lastName}`.trim() || me.user.email;
  const initials = `${me.user.firstName.charAt(0)}${me.user.lastName.charAt(0)}`.toUpperCase();

  const saveLanguage = useMutation({
    mutationFn: (next: Language) => apiPatch('/api/v1/me', { language: next }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: meQueryKey });
      notifySuccess(t('shell.languageSaved'));
    },
    onError: notifyError,
  });

  const signOut = useMutation({
    mutationFn: () => apiPost('/api/v1/auth/logout', {}, { allowUnauthorized: true }),
    onSettled: () => {
      queryClient.clear();
      void navigate('/login', { replace: true });
    },
  });

  const chooseLanguage = (next: Language) => {
    if (next === language) return;
    setLanguage(next);
    saveLanguage.mutate(next);
  };

  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`${t('shell.userMenu')}: ${fullName}`} data-testid="user-menu">
          <Group gap="xs" wrap="nowrap">
            <Avatar radius="xl" size="sm" color="blue">
              {initials || '?'}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm" truncate="end" maw={180}>
              {fullName}
            </Text>
            <IconChevronDown size={14} aria-hidden="true" />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate="end">
            {fullName}
          </Text>
          <Text size="xs" truncate="end">
            {me.user.email}
          </Text>
          <Text size="xs" data-testid="user-role">
            {t(`roles.${me.role}`)}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Label>{t('language.label')}</Menu.Label>
        {languages.map((l) => (
          <Menu.Item
            key={l}
            leftSection={<IconLanguage size={16} aria-hidden="true" />}
            rightSection={l === language ? <IconCheck size={16} aria-hidden="true" /> : null}
            onClick={() => chooseLanguage(l)}
            aria-current={l === language ? 'true' : undefined}
            lang={l}
          >
            {t(`language.${l}`)}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} aria-hidden="true" />}
          onClick={() => signOut.mutate()}
          disabled={signOut.isPending}
          data-testid="sign-out"
        >
          {t('shell.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
