/** The organisation's customer data: read-only invoice identity and the editable contact details. */
import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { SectionCard } from '../../../components/SectionCard.js';
import { useCountryName } from '../../../lib/countries.js';
import { notifySuccess, useFormErrorHandler } from '../../../lib/errors.js';
import { type Language, languages, useT } from '../../../lib/i18n.js';
import { checkEmail } from '../../../lib/validation.js';
import { type CustomerData, type CustomerDataChange, customerQueryKey, updateCustomerData } from '../api.js';

/** The server's rule for phone numbers (contracts/account.ts). */
const phonePattern = /^\+?[0-9 ()/-]{5,30}$/;

function ReadOnlyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div>
      <Text size="sm" fw={500} component="dt">
        {label}
      </Text>
      <Text size="sm" component="dd" m={0} data-testid={testId} style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </div>
  );
}

function CustomerDataFields({ data }: { data: CustomerData }) {
  const t = useT();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: {
      invoiceEmail: data.invoiceEmail ?? '',
      contactName: data.contactName ?? '',
      contactPhone: data.contactPhone ?? '',
      language: data.language as string,
    },
    validate: {
      invoiceEmail: (value) => (!value.trim() && data.invoiceEmail === null ? null : checkEmail(t)(value)),
      contactName: (value) => (value.trim().length > 100 ? t('customer.tooLong', { max: 100 }) : null),
      contactPhone: (value) =>
        !value.trim() || phonePattern.test(value.trim()) ? null : t('customer.phoneInvalid'),
    },
  });
  const onError = useFormErrorHandler(form);

  const mutation = useMutation({
    mutationFn: (change: CustomerDataChange) => updateCustomerData(change),
    onSuccess: (answer) => {
      notifySuccess(t('customer.saved'));
      queryClient.setQueryData(customerQueryKey, answer);
    },
    onError,
  });

  const submit = (values: typeof form.values) => {
    const change: CustomerDataChange = {};
    const invoiceEmail = values.invoiceEmail.trim();
    if (invoiceEmail && invoiceEmail !== data.invoiceEmail) change.invoiceEmail = invoiceEmail;
    const contactName = values.contactName.trim() || null;
    if (contactName !== data.contactName) change.contactName = contactName;
    const contactPhone = values.contactPhone.trim() || null;
    if (contactPhone !== data.contactPhone) change.contactPhone = contactPhone;
    const language = languages.find((l) => l === values.language);
    if (language && language !== data.language) change.language = language satisfies Language;
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
            label={t('customer.invoiceEmail')}
            description={t('customer.invoiceEmailHint')}
            type="email"
            autoComplete="email"
            required={data.invoiceEmail !== null}
            {...form.getInputProps('invoiceEmail')}
          />
          <Select
            label={t('customer.language')}
            description={t('customer.languageHint')}
            data={languages.map((l) => ({ value: l, label: t(`language.${l}`) }))}
            allowDeselect={false}
            {...form.getInputProps('language')}
          />
          <TextInput
            label={t('customer.contactName')}
            autoComplete="name"
            maxLength={100}
            {...form.getInputProps('contactName')}
          />
          <TextInput
            label={t('customer.contactPhone')}
            type="tel"
            autoComplete="tel"
            maxLength={30}
            {...form.getInputProps('contactPhone')}
          />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={mutation.isPending}>
            {t('customer.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The "Customer data" card; re-initialises the form when the saved data changes. */
export function CustomerDataForm({ data }: { data: CustomerData }) {
  const t = useT();
  const countryName = useCountryName();
  const version = [data.invoiceEmail, data.contactName, data.contactPhone, data.language].join('\u0000');
  return (
    <SectionCard title={t('customer.title')} testId="customer-data">
      <Stack gap={4}>
        <SimpleGrid cols={{ base: 1, sm: 3 }} component="dl" m={0} spacing="sm">
          <ReadOnlyField
            label={t('customer.accountNumber')}
            value={data.accountNumber ?? t('common.none')}
            testId="customer-account-number"
          />
          <ReadOnlyField label={t('customer.company')} value={data.name} testId="customer-company" />
          <ReadOnlyField
            label={t('customer.billingCountry')}
            value={data.billingCountry ? countryName(data.billingCountry) : t('common.none')}
            testId="customer-billing-country"
          />
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          {t('customer.readOnlyHint')}
        </Text>
      </Stack>
      <CustomerDataFields key={version} data={data} />
    </SectionCard>
  );
}
