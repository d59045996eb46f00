/** Edits the user's own name, e-mail (needs the current password) and language. */
import { Button, Group, PasswordInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { SectionCard } from '../../../components/SectionCard.js';
import { notifySuccess, useFormErrorHandler } from '../../../lib/errors.js';
import { type Language, languages, useLanguage, useT } from '../../../lib/i18n.js';
import { type Me, meQueryKey, useMe } from '../../../lib/session.js';
import { checkEmail, checkRequired } from '../../../lib/validation.js';
import { type ProfileChange, updateProfile } from '../api.js';

function ProfileFormFields({ user }: { user: Me['user'] }) {
  const t = useT();
  const { setLanguage } = useLanguage();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: {
      firstName: user.firstName,
      lastName: user.lastName,
      email: user.email,
      language: user.language as string,
      currentPassword: '',
    },
    validate: {
      firstName: checkRequired(t),
      lastName: checkRequired(t),
      email: checkEmail(t),
      currentPassword: (value, values) =>
        values.email.trim().toLowerCase() !== user.email.toLowerCase() && !value
          ? t('validation.required')
          : null,
    },
  });
  const onError = useFormErrorHandler(form);
  const emailChanged = form.values.email.trim().toLowerCase() !== user.email.toLowerCase();

  const mutation = useMutation({
    mutationFn: (change: ProfileChange) => updateProfile(change),
    onSuccess: (_answer, change) => {
      if (change.language) setLanguage(change.language);
      notifySuccess(t('profile.saved'));
      void queryClient.invalidateQueries({ queryKey: meQueryKey });
    },
    onError,
  });

  const submit = (values: typeof form.values) => {
    const change: ProfileChange = {};
    if (values.firstName.trim() !== user.firstName) change.firstName = values.firstName.trim();
    if (values.lastName.trim() !== user.lastName) change.lastName = values.lastName.trim();
    if (emailChanged) {
      change.email = values.email.trim();
      change.currentPassword = values.currentPassword;
    }
    const language = languages.find((l) => l === values.language);
    if (language && language !== user.language) change.language = language satisfies Language;
    if (Object.keys(change).length === 0) {
      notifySuccess(t('profile.nothingChanged'));
      return;
    }
    mutation.mutate(change);
  };

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('profile.firstName')}
            autoComplete="given-name"
            required
            {...form.getInputProps('firstName')}
          />
          <TextInput
            label={t('profile.lastName')}
            autoComplete="family-name"
            required
            {...form.getInputProps('lastName')}
          />
          <TextInput
            label={t('profile.email')}
            type="email"
            autoComplete="email"
            required
            {...form.getInputProps('email')}
          />
          <Select
            label={t('profile.language')}
            data={languages.map((l) => ({ value: l, label: t(`language.${l}`) }))}
            allowDeselect={false}
            {...form.getInputProps('language')}
          />
          {emailChanged && (
            <PasswordInput
              label={t('profile.currentPassword')}
              description={t('profile.currentPasswordHint')}
              autoComplete="current-password"
              required
              {...form.getInputProps('currentPassword')}
            />
          )}
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={mutation.isPending}>
            {t('profile.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The "Personal data" section; re-initialises when the saved profile changes. */
export function ProfileForm() {
  const t = useT();
  const { user } = useMe();
  const version = [user.id, user.firstName, user.lastName, user.email, user.language].join('\u0000');
  return (
    <SectionCard title={t('profile.title')} testId="profile-form">
      <ProfileFormFields key={version} user={user} />
    </SectionCard>
  );
}
