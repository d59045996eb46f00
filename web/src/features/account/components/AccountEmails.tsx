/** Extra e-mail addresses of the organisation, each with a category: list, add, remove. */
import {
  Badge,
  Box,
  Button,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/ConfirmModal.js';
import { SectionCard } from '../../../components/SectionCard.js';
import { isApiError } from '../../../lib/api.js';
import { notifySuccess, useFormErrorHandler, useNotifyError } from '../../../lib/errors.js';
import { type Translate, useT } from '../../../lib/i18n.js';
import { checkEmail } from '../../../lib/validation.js';
import {
  addAccountEmail,
  type CustomerData,
  customerQueryKey,
  type EmailCategory,
  removeAccountEmail,
} from '../api.js';

type AccountEmail = CustomerData['emails'][number];

const categories: readonly EmailCategory[] = ['invoice', 'volume-notifications'];

function categoryLabel(t: Translate, category: EmailCategory): string {
  return category === 'invoice' ? t('emails.category.invoice') : t('emails.category.volume');
}

function CategoryBadge({ category }: { category: EmailCategory }) {
  const t = useT();
  return (
    <Badge variant="light" color={category === 'invoice' ? 'blue' : 'grape'}>
      {categoryLabel(t, category)}
    </Badge>
  );
}

function AddEmailForm({ emails }: { emails: AccountEmail[] }) {
  const t = useT();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { email: '', category: 'invoice' as string },
    validate: {
      email: (value, values) => {
        const invalid = checkEmail(t)(value);
        if (invalid) return invalid;
        const lower = value.trim().toLowerCase();
        return emails.some((e) => e.email.toLowerCase() === lower && e.category === values.category)
          ? t('emails.duplicate')
          : null;
      },
    },
  });
  const onError = useFormErrorHandler(form);
  const mutation = useMutation({
    mutationFn: (input: { email: string; category: EmailCategory }) =>
      addAccountEmail(input.email, input.category),
    onSuccess: (answer) => {
      notifySuccess(t('emails.added'));
      queryClient.setQueryData(customerQueryKey, answer);
      form.reset();
    },
    onError: (err) => {
      if (isApiError(err, 'conflict')) form.setFieldError('email', t('emails.duplicate'));
      else onError(err);
    },
  });

  const submit = (values: typeof form.values) => {
    const category = categories.find((c) => c === values.category);
    if (!category) return;
    mutation.mutate({ email: values.email.trim(), category });
  };

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate data-testid="add-email-form">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label={t('emails.newAddress')}
            type="email"
            autoComplete="off"
            required
            {...form.getInputProps('email')}
          />
          <Select
            label={t('emails.category')}
            data={categories.map((c) => ({ value: c, label: categoryLabel(t, c) }))}
            allowDeselect={false}
            {...form.getInputProps('category')}
          />
        </SimpleGrid>
        <Group>
          <Button type="submit" variant="light" loading={mutation.isPending}>
            {t('emails.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The "Additional e-mail addresses" card. */
export function AccountEmails({ emails }: { emails: AccountEmail[] }) {
  const t = useT();
  const queryClient = useQueryClient();
  const notifyError = useNotifyError();
  const [removing, setRemoving] = useState<AccountEmail | null>(null);

  const remove = useMutation({
    mutationFn: (email: AccountEmail) => removeAccountEmail(email.id),
    onSuccess: (answer) => {
      notifySuccess(t('emails.removed'));
      queryClient.setQueryData(customerQueryKey, answer);
      setRemoving(null);
    },
    onError: notifyError,
  });

  return (
    <SectionCard title={t('emails.title')} testId="account-emails">
      <Text size="sm" c="dimmed">
        {t('emails.intro')}
      </Text>
      {emails.length === 0 ? (
        <Text size="sm" data-testid="emails-empty">
          {t('emails.empty')}
        </Text>
      ) : (
        <Table verticalSpacing="xs" striped layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('emails.address')}</Table.Th>
              <Table.Th w={200} visibleFrom="sm">
                {t('emails.category')}
              </Table.Th>
              <Table.Th w={110}>
                <VisuallyHidden>{t('emails.remove')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {emails.map((email) => (
              <Table.Tr key={email.id} data-testid="email-row">
                <Table.Td style={{ overflowWrap: 'anywhere' }}>
                  {email.email}
                  <Box hiddenFrom="sm" mt={4}>
                    <CategoryBadge category={email.category} />
                  </Box>
                </Table.Td>
                <Table.Td visibleFrom="sm">
                  <CategoryBadge category={email.category} />
                </Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="xs"
                    variant="light"
                    color="red"
                    aria-label={t('emails.removeLabel', { email: email.email })}
                    onClick={() => setRemoving(email)}
                  >
                    {t('emails.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <AddEmailForm emails={emails} />
      <ConfirmModal
        opened={removing !== null}
        title={t('emails.removeTitle')}
        message={
          removing
            ? t('emails.removeConfirm', {
                email: removing.email,
                category: categoryLabel(t, removing.category),
              })
            : ''
        }
        confirmLabel={t('emails.remove')}
        loading={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => setRemoving(null)}
      />
    </SectionCard>
  );
}
