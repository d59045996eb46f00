/** First name, last name and e-mail of a person to invite: the same three fields wherever someone is invited. */
import { SimpleGrid, TextInput } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { useT } from '../lib/i18n.js';

/** The inputs of a form's three person fields; test ids are `<testIdPrefix>-first-name` and so on. */
export function PersonFields({
  firstName,
  lastName,
  email,
  testIdPrefix,
  autoFocus = false,
}: {
  firstName: GetInputPropsReturnType;
  lastName: GetInputPropsReturnType;
  email: GetInputPropsReturnType;
  testIdPrefix: string;
  autoFocus?: boolean;
}) {
  const t = useT();
  return (
    <>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <TextInput
          label={t('users.firstName')}
          required
          maxLength={100}
          data-autofocus={autoFocus || undefined}
          data-testid={`${testIdPrefix}-first-name`}
          {...firstName}
        />
        <TextInput
          label={t('users.lastName')}
          required
          maxLength={100}
          data-testid={`${testIdPrefix}-last-name`}
          {...lastName}
        />
      </SimpleGrid>
      <TextInput
        label={t('users.email')}
        type="email"
        required
        maxLength={254}
        autoComplete="off"
        data-testid={`${testIdPrefix}-email`}
        {...email}
      />
    </>
  );
}
