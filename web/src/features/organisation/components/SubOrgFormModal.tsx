/** The modal that creates a sub-organisation (company, invoice address, owner) or renames one. */
import { Button, Group, Modal, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AddressFields } from '../../../components/AddressFields.js';
import { PersonFields } from '../../../components/PersonFields.js';
import { isApiError } from '../../../lib/api.js';
import { useCountryOptions } from '../../../lib/countries.js';
import { fieldMessage, notifySuccess, useNotifyError } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { checkEmail, checkRequired } from '../../../lib/validation.js';
import { createSubOrganisation, orgsQueryKey, renameSubOrganisation, type SubOrganisation } from '../api.js';

/** What the modal does: create a sub-organisation, or rename one. */
export type SubOrgFormTarget = { mode: 'create' } | { mode: 'rename'; org: SubOrganisation };

interface CreateValues {
  company: string;
  billingCountry: string;
  address: { recipient: string; street: string; postalCode: string; city: string; country: string };
  owner: { firstName: string; lastName: string; email: string };
}

/** Puts the server's field errors (dot paths such as owner.email) on the form; returns whether any matched. */
function useServerErrors() {
  const notifyError = useNotifyError();
  const t = useT();
  return (form: { setErrors: (e: Record<string, string>) => void }, fields: string[], err: unknown) => {
    if (isApiError(err)) {
      const errors: Record<string, string> = {};
      for (const e of err.fieldErrors) if (fields.includes(e.field)) errors[e.field] = fieldMessage(t, e);
      if (Object.keys(errors).length) {
        form.setErrors(errors);
        return;
      }
    }
    notifyError(err);
  };
}

const createFields = [
  'company',
  'billingCountry',
  'address.recipient',
  'address.street',
  'address.postalCode',
  'address.city',
  'address.country',
  'owner.firstName',
  'owner.lastName',
  'owner.email',
];

function CreateForm({ onDone }: { onDone: () => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const countries = useCountryOptions();
  const required = checkRequired(t);
  const max = (n: number) => (v: string) =>
    required(v) ?? (v.trim().length > n ? t('users.tooLong', { max: n }) : null);
  const serverErrors = useServerErrors();
  const form = useForm<CreateValues>({
    initialValues: {
      company: '',
      billingCountry: 'DE',
      address: { recipient: '', street: '', postalCode: '', city: '', country: 'DE' },
      owner: { firstName: '', lastName: '', email: '' },
    },
    validate: {
      company: max(200),
      billingCountry: required,
      address: {
        street: max(200),
        postalCode: (v) => (/^[A-Za-z0-9 -]{2,12}$/.test(v.trim()) ? null : t('orgs.postalCodeInvalid')),
        city: max(100),
        country: required,
        recipient: (v) => (v.trim().length > 100 ? t('users.tooLong', { max: 100 }) : null),
      },
      owner: { firstName: max(100), lastName: max(100), email: checkEmail(t) },
    },
  });
  const mutation = useMutation({
    mutationFn: (v: CreateValues) =>
      createSubOrganisation({
        company: v.company.trim(),
        billingCountry: v.billingCountry,
        address: {
          street: v.address.street.trim(),
          postalCode: v.address.postalCode.trim(),
          city: v.address.city.trim(),
          country: v.address.country,
          ...(v.address.recipient.trim() ? { recipient: v.address.recipient.trim() } : {}),
        },
        owner: {
          firstName: v.owner.firstName.trim(),
          lastName: v.owner.lastName.trim(),
          email: v.owner.email.trim(),
        },
      }),
    onSuccess: (created) => {
      notifySuccess(
        t('orgs.created', {
          name: created.name,
          number: created.accountNumber ?? '',
          email: created.owner?.email ?? form.values.owner.email.trim(),
        }),
      );
      void queryClient.invalidateQueries({ queryKey: orgsQueryKey });
      onDone();
    },
    onError: (err) => serverErrors(form, createFields, err),
  });

  return (
    <form onSubmit={form.onSubmit((v) => mutation.mutate(v))} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('orgs.company')}
          required
          maxLength={200}
          data-autofocus
          data-testid="suborg-company"
          {...form.getInputProps('company')}
        />
        <Select
          label={t('customers.billingCountry')}
          data={countries}
          searchable
          allowDeselect={false}
          required
          comboboxProps={{ withinPortal: true }}
          data-testid="suborg-billing-country"
          {...form.getInputProps('billingCountry')}
        />
        <Title order={5} mt="xs">
          {t('orgs.invoiceAddress')}
        </Title>
        <AddressFields
          recipient={form.getInputProps('address.recipient')}
          street={form.getInputProps('address.street')}
          postalCode={form.getInputProps('address.postalCode')}
          city={form.getInputProps('address.city')}
          country={form.getInputProps('address.country')}
          countries={countries}
          testIdPrefix="suborg"
        />
        <Title order={5} mt="xs">
          {t('orgs.owner')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('orgs.ownerHint')}
        </Text>
        <PersonFields
          firstName={form.getInputProps('owner.firstName')}
          lastName={form.getInputProps('owner.lastName')}
          email={form.getInputProps('owner.email')}
          testIdPrefix="suborg-owner"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} data-testid="suborg-submit">
            {t('orgs.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RenameForm({ org, onDone }: { org: SubOrganisation; onDone: () => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const required = checkRequired(t);
  const serverErrors = useServerErrors();
  const form = useForm({
    initialValues: { name: org.name },
    validate: {
      name: (v: string) => required(v) ?? (v.trim().length > 200 ? t('users.tooLong', { max: 200 }) : null),
    },
  });
  const mutation = useMutation({
    mutationFn: (name: string) => renameSubOrganisation(org.id, name),
    onSuccess: (renamed) => {
      notifySuccess(t('orgs.renamed', { name: renamed.name }));
      void queryClient.invalidateQueries({ queryKey: orgsQueryKey });
      onDone();
    },
    onError: (err) => serverErrors(form, ['name'], err),
  });
  return (
    <form onSubmit={form.onSubmit((v) => mutation.mutate(v.name.trim()))} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('orgs.company')}
          required
          maxLength={200}
          data-autofocus
          data-testid="suborg-name"
          {...form.getInputProps('name')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} data-testid="suborg-rename-submit">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Create or rename a sub-organisation in a modal; closed while `target` is null. */
export function SubOrgFormModal({
  target,
  onClose,
}: {
  target: SubOrgFormTarget | null;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <Modal
      opened={target !== null}
      onClose={onClose}
      title={
        target?.mode === 'rename' ? t('orgs.renameTitle', { name: target.org.name }) : t('orgs.createTitle')
      }
      size="lg"
      fullScreen={false}
      data-testid="suborg-modal"
    >
      {target?.mode === 'create' && <CreateForm onDone={onClose} />}
      {target?.mode === 'rename' && <RenameForm org={target.org} onDone={onClose} />}
    </Modal>
  );
}
