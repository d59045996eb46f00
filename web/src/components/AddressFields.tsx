/** Recipient, street, postal code, city and country of a postal address: the same inputs wherever one is entered. */
import { Select, SimpleGrid, TextInput } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { useT } from '../lib/i18n.js';

/**
 * The inputs of a form's address fields, with the browser's address autocompletion; test ids are
 * `<testIdPrefix>-street`, `<testIdPrefix>-postal-code` and so on when a prefix is given.
 */
export function AddressFields({
  recipient,
  street,
  postalCode,
  city,
  country,
  countries,
  testIdPrefix,
}: {
  recipient: GetInputPropsReturnType;
  street: GetInputPropsReturnType;
  postalCode: GetInputPropsReturnType;
  city: GetInputPropsReturnType;
  country: GetInputPropsReturnType;
  /** The country options (lib/countries.ts useCountryOptions). */
  countries: { value: string; label: string }[];
  testIdPrefix?: string;
}) {
  const t = useT();
  const testId = (field: string) => (testIdPrefix ? `${testIdPrefix}-${field}` : undefined);
  return (
    <>
      <TextInput
        label={t('addresses.recipient')}
        description={t('addresses.recipientHint')}
        autoComplete="name"
        maxLength={100}
        data-testid={testId('recipient')}
        {...recipient}
      />
      <TextInput
        label={t('addresses.street')}
        autoComplete="street-address"
        required
        maxLength={200}
        data-testid={testId('street')}
        {...street}
      />
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <TextInput
          label={t('addresses.postalCode')}
          autoComplete="postal-code"
          required
          maxLength={12}
          data-testid={testId('postal-code')}
          {...postalCode}
        />
        <TextInput
          label={t('addresses.city')}
          autoComplete="address-level2"
          required
          maxLength={100}
          data-testid={testId('city')}
          {...city}
        />
      </SimpleGrid>
      <Select
        label={t('addresses.country')}
        data={countries}
        searchable
        allowDeselect={false}
        required
        nothingFoundMessage={t('addresses.noCountry')}
        comboboxProps={{ withinPortal: true }}
        data-testid={testId('country')}
        {...country}
      />
    </>
  );
}
