/** The modal form that creates or edits a postal address. */
import { Button, Checkbox, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AddressFields } from '../../../components/AddressFields.js';
import { isApiError } from '../../../lib/api.js';
import { useCountryOptions } from '../../../lib/countries.js';
import { notifySuccess, useFormErrorHandler } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { checkRequired } from '../../../lib/validation.js';
import {
  type Address,
  type AddressFields as AddressValues,
  addressesQueryKey,
  createAddress,
  updateAddress,
} from '../api.js';

/** What the modal does: create an address of a kind, or edit one. */
export type AddressFormTarget =
  | { mode: 'create'; kind: Address['kind'] }
  | { mode: 'edit'; address: Address };

const postalCodePattern = /^[A-Za-z0-9 -]{2,12}$/;

function AddressForm({
  target,
  defaultCountry,
  onDone,
}: {
  target: AddressFormTarget;
  defaultCountry: string;
  onDone: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const existing = target.mode === 'edit' ? target.address : undefined;
  const kind = target.mode === 'edit' ? target.address.kind : target.kind;
  const countryOptions = useCountryOptions(existing?.country);
  const maxLength = (max: number) => (value: string) =>
    value.trim().length > max ? t('customer.tooLong', { max }) : null;
  const required = checkRequired(t);
  const form = useForm({
    initialValues: {
      company: existing?.company ?? '',
      recipient: existing?.recipient ?? '',
      street: existing?.street ?? '',
      postalCode: existing?.postalCode ?? '',
      city: existing?.city ?? '',
      country: existing?.country ?? defaultCountry,
      isDefault: false,
    },
    validate: {
      company: (value) => required(value) ?? maxLength(100)(value),
      recipient: maxLength(100),
      street: (value) => required(value) ?? maxLength(200)(value),
      postalCode: (value) =>
        required(value) ?? (postalCodePattern.test(value.trim()) ? null : t('addresses.postalCodeInvalid')),
      city: (value) => required(value) ?? maxLength(100)(value),
      country: (value) => (/^[A-Z]{2}$/.test(value) ? null : t('validation.required')),
    },
  });
  const onError = useFormErrorHandler(form);

  const mutation = useMutation({
    mutationFn: (values: typeof form.values): Promise<Address | null> => {
      const fields: AddressValues = {
        company: values.company.trim(),
        recipient: values.recipient.trim() || null,
        street: values.street.trim(),
        postalCode: values.postalCode.trim(),
        city: values.city.trim(),
        country: values.country,
      };
      if (!existing) {
        return createAddress({
          kind,
          ...fields,
          ...(kind === 'delivery' && values.isDefault ? { isDefault: true } : {}),
        });
      }
      const change: Partial<AddressValues> = {};
      for (const key of Object.keys(fields) as (keyof AddressValues)[]) {
        if (fields[key] !== existing[key]) Object.assign(change, { [key]: fields[key] });
      }
      if (Object.keys(change).length === 0) return Promise.resolve(null);
      return updateAddress(existing.id, change);
    },
    onSuccess: (answer) => {
      notifySuccess(answer ? t('addresses.saved') : t('profile.nothingChanged'));
      if (answer) void queryClient.invalidateQueries({ queryKey: addressesQueryKey });
      onDone();
    },
    onError: (err) => {
      if (isApiError(err, 'conflict') && !existing && kind === 'invoice') {
        void queryClient.invalidateQueries({ queryKey: addressesQueryKey });
        onError(err);
        onDone();
      } else onError(err);
    },
  });

  return (
    <form onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('addresses.company')}
          autoComplete="organization"
          required
          maxLength={100}
          data-autofocus
          {...form.getInputProps('company')}
        />
        <AddressFields
          recipient={form.getInputProps('recipient')}
          street={form.getInputProps('street')}
          postalCode={form.getInputProps('postalCode')}
          city={form.getInputProps('city')}
          country={form.getInputProps('country')}
          countries={countryOptions}
        />
        {kind === 'delivery' && !existing && (
          <Checkbox
            label={t('addresses.makeDefaultOnCreate')}
            {...form.getInputProps('isDefault', { type: 'checkbox' })}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {existing ? t('common.save') : t('addresses.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Create or edit an address in a modal; closed while `target` is null. */
export function AddressFormModal({
  target,
  defaultCountry,
  onClose,
}: {
  target: AddressFormTarget | null;
  defaultCountry: string;
  onClose: () => void;
}) {
  const t = useT();
  let title = '';
  if (target?.mode === 'edit')
    title = target.address.kind === 'invoice' ? t('addresses.editInvoice') : t('addresses.editDelivery');
  else if (target) title = target.kind === 'invoice' ? t('addresses.addInvoice') : t('addresses.addDelivery');
  return (
    <Modal opened={target !== null} onClose={onClose} title={title} size="lg" data-testid="address-modal">
      {target && <AddressForm target={target} defaultCountry={defaultCountry} onDone={onClose} />}
    </Modal>
  );
}
