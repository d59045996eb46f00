/** The operator's form for a new customer organisation and its Owner. */
import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { PersonFields } from '../../../components/PersonFields.js';
import { isApiError } from '../../../lib/api.js';
import { useCountryOptions } from '../../../lib/countries.js';
import { errorMessage, fieldMessage, notifySuccess, useNotifyError } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { checkEmail, checkRequired } from '../../../lib/validation.js';
import { type CreateCustomerRequest, createCustomer } from '../api.js';
import { cidrPattern, customerKeys } from './customerKeys.js';

interface FormValues {
  company: string;
  billingCountry: string;
  language: string;
  invoiceEmail: string;
  cidr: string;
  ownerFirstName: string;
  ownerLastName: string;
  ownerEmail: string;
}

/** Server field names (`owner.email`) to this form's fields. */
const serverFields: Record<string, keyof FormValues> = {
  company: 'company',
  billingCountry: 'billingCountry',
  language: 'language',
  invoiceEmail: 'invoiceEmail',
  cidr: 'cidr',
  'owner.firstName': 'ownerFirstName',
  'owner.lastName': 'ownerLastName',
  'owner.email': 'ownerEmail',
};

export function CustomerForm({ onDone }: { onDone: (createdId?: string) => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const notifyError = useNotifyError();
  const countries = useCountryOptions();
  const required = checkRequired(t);
  const email = checkEmail(t);
  const form = useForm<FormValues>({
    initialValues: {
      company: '',
      billingCountry: 'DE',
      language: 'en',
      invoiceEmail: '',
      cidr: '',
      ownerFirstName: '',
      ownerLastName: '',
      ownerEmail: '',
    },
    validate: {
      company: required,
      billingCountry: required,
      language: required,
      invoiceEmail: email,
      cidr: (v) => {
        if (!v.trim()) return null;
        const m = cidrPattern.exec(v.trim());
        const bits = Number(m?.[5]);
        if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || bits < 8 || bits > 30)
          return t('stock.cidrInvalid');
        return null;
      },
      ownerFirstName: required,
      ownerLastName: required,
      ownerEmail: email,
    },
  });
  const mutation = useMutation({
    mutationFn: (v: FormValues) => {
      const body: CreateCustomerRequest = {
        company: v.company.trim(),
        billingCountry: v.billingCountry,
        language: v.language === 'de' ? 'de' : 'en',
        invoiceEmail: v.invoiceEmail.trim(),
        owner: {
          firstName: v.ownerFirstName.trim(),
          lastName: v.ownerLastName.trim(),
          email: v.ownerEmail.trim(),
        },
        ...(v.cidr.trim() ? { cidr: v.cidr.trim() } : {}),
      };
      return createCustomer(body);
    },
    onSuccess: (created) => {
      notifySuccess(
        t('customers.created', {
          name: created.name,
          number: created.accountNumber ?? '',
          email: form.values.ownerEmail.trim(),
        }),
      );
      void queryClient.invalidateQueries({ queryKey: customerKeys.all });
      queryClient.setQueryData(customerKeys.detail(created.id), created);
      onDone(created.id);
    },
    onError: (err) => {
      if (isApiError(err)) {
        const errors: Partial<Record<keyof FormValues, string>> = {};
        for (const e of err.fieldErrors) {
          const field = serverFields[e.field];
          if (field) errors[field] = fieldMessage(t, e);
        }
        if (err.code === 'conflict' && !Object.keys(errors).length && form.values.cidr.trim())
          errors.cidr = errorMessage(t, err);
        if (Object.keys(errors).length) {
          form.setErrors(errors);
          return;
        }
      }
      notifyError(err);
    },
  });

  return (
    <form onSubmit={form.onSubmit((v) => mutation.mutate(v))} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('customers.company')}
          description={t('customers.companyHint')}
          required
          maxLength={200}
          data-autofocus
          data-testid="customer-company"
          {...form.getInputProps('company')}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Select
            label={t('customers.billingCountry')}
            data={countries}
            searchable
            allowDeselect={false}
            required
            comboboxProps={{ withinPortal: true }}
            data-testid="customer-country"
            {...form.getInputProps('billingCountry')}
          />
          <Select
            label={t('customers.language')}
            description={t('customers.languageHint')}
            data={[
              { value: 'en', label: t('customers.language.en') },
              { value: 'de', label: t('customers.language.de') },
            ]}
            allowDeselect={false}
            required
            comboboxProps={{ withinPortal: true }}
            data-testid="customer-language"
            {...form.getInputProps('language')}
          />
        </SimpleGrid>
        <TextInput
          label={t('customers.invoiceEmail')}
          type="email"
          required
          maxLength={254}
          data-testid="customer-invoice-email"
          {...form.getInputProps('invoiceEmail')}
        />
        <TextInput
          label={t('customers.cidr')}
          description={t('customers.cidrHint')}
          placeholder="10.64.0.0/16"
          autoComplete="off"
          spellCheck={false}
          data-testid="customer-cidr"
          {...form.getInputProps('cidr')}
        />
        <Title order={5} mt="xs">
          {t('customers.owner')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('customers.ownerHint')}
        </Text>
        <PersonFields
          firstName={form.getInputProps('ownerFirstName')}
          lastName={form.getInputProps('ownerLastName')}
          email={form.getInputProps('ownerEmail')}
          testIdPrefix="customer-owner"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone()}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} data-testid="customer-submit">
            {t('customers.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
