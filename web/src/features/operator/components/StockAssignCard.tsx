/** Assign the stock SIMs of an ICCID range to a customer organisation. */

import { iccidProblem } from '@contracts/ids.js';
import { Alert, Button, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconArrowRight } from '@tabler/icons-react';
import { type UseQueryResult, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { SectionCard } from '../../../components/SectionCard.js';
import { isApiError } from '../../../lib/api.js';
import { applyFieldErrors, errorMessage, notifySuccess } from '../../../lib/errors.js';
import { numberSeparators } from '../../../lib/format.js';
import { type Translate, useLanguage, useT } from '../../../lib/i18n.js';
import {
  type AssignResult,
  assignStock,
  type Customer,
  type CustomerList,
  listIpPools,
  type StockRange,
  stockKeys,
} from '../api.js';

/** The assign form; shared with the summary ("use this range") and the IP address spaces card. */
export type AssignValues = {
  orgId: string;
  iccidFrom: string;
  iccidTo: string;
  contractMonths: number | string;
  dataMb: number | string;
  sms: number | string;
};

export const initialAssignValues: AssignValues = {
  orgId: '',
  iccidFrom: '',
  iccidTo: '',
  contractMonths: 120,
  dataMb: 500,
  sms: 250,
};

const iccidPattern = /^\d{19,20}$/;

/** The server's ICCID rule (contracts/ids.ts): 19 digits, or 20 whose last is the Luhn check digit. */
function iccidError(t: Translate, value: string): string | null {
  const v = value.trim();
  if (!iccidPattern.test(v)) return t('stock.iccidInvalid');
  return iccidProblem(v) === null ? null : t('stock.iccidLuhn');
}

/** The 19 digits the server stores and compares (a 20th digit is the Luhn check digit). */
const canonical = (iccid: string) => iccid.trim().slice(0, 19);

function wholeNumber(t: Translate, value: number | string, min: number, max: number): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value)) return t('stock.wholeNumber');
  if (value < min || value > max) return t('stock.between', { min, max });
  return null;
}

/** Client-side checks that mirror contracts/stock.ts `assignRequest`. */
export function assignValidation(t: Translate) {
  return {
    orgId: (v: string) => (v ? null : t('stock.customerRequired')),
    iccidFrom: (v: string) => iccidError(t, v),
    iccidTo: (v: string, values: AssignValues) => {
      const problem = iccidError(t, v);
      if (problem) return problem;
      const from = values.iccidFrom.trim();
      return iccidError(t, from) === null && canonical(from) > canonical(v) ? t('stock.iccidOrder') : null;
    },
    contractMonths: (v: number | string) => wholeNumber(t, v, 1, 240),
    dataMb: (v: number | string) => wholeNumber(t, v, 0, 10_000_000),
    sms: (v: number | string) => wholeNumber(t, v, 0, 10_000_000),
  };
}

/** Stock SIMs between two ICCIDs according to the summary's ranges (numerically contiguous runs). */
function stockBetween(ranges: StockRange[], from: string, to: string): number {
  let total = 0n;
  const lo = BigInt(canonical(from));
  const hi = BigInt(canonical(to));
  for (const r of ranges) {
    const a = BigInt(r.first) > lo ? BigInt(r.first) : lo;
    const b = BigInt(r.last) < hi ? BigInt(r.last) : hi;
    if (b >= a) total += b - a + 1n;
  }
  return Number(total);
}

/** Customers with sub-organisations right under their parent. */
function ordered(customers: Customer[]): { customer: Customer; depth: number }[] {
  const ids = new Set(customers.map((c) => c.id));
  const children = new Map<string, Customer[]>();
  for (const c of customers) {
    const parent = c.parentId && ids.has(c.parentId) ? c.parentId : '';
    children.set(parent, [...(children.get(parent) ?? []), c]);
  }
  const out: { customer: Customer; depth: number }[] = [];
  const walk = (parent: string, depth: number) => {
    for (const c of children.get(parent) ?? []) {
      if (out.some((o) => o.customer.id === c.id)) continue;
      out.push({ customer: c, depth });
      walk(c.id, depth + 1);
    }
  };
  walk('', 0);
  return out;
}

export function StockAssignCard({
  form,
  customers,
  ranges,
}: {
  form: UseFormReturnType<AssignValues>;
  customers: UseQueryResult<CustomerList>;
  ranges: StockRange[] | undefined;
}) {
  const t = useT();
  const { locale } = useLanguage();
  const queryClient = useQueryClient();
  const n = (value: number) => value.toLocaleString(locale);
  const orgId = form.values.orgId;
  const separators = useMemo(() => numberSeparators(locale), [locale]);

  const pools = useQuery({
    queryKey: stockKeys.pools(orgId),
    queryFn: ({ signal }) => listIpPools(orgId, signal),
    enabled: orgId !== '',
  });
  const freeIps = pools.data?.items.reduce((sum, p) => sum + Math.max(0, p.size - p.used), 0);

  const rows = useMemo(() => ordered(customers.data?.items ?? []), [customers.data]);
  const byId = useMemo(() => new Map(rows.map((r) => [r.customer.id, r])), [rows]);
  const options = rows.map(({ customer: c }) => ({
    value: c.id,
    label: c.accountNumber ? `${c.name} (${c.accountNumber})` : c.name,
  }));
  const selected = byId.get(orgId)?.customer;

  const from = form.values.iccidFrom.trim();
  const to = form.values.iccidTo.trim();
  const inRange =
    ranges && iccidPattern.test(from) && iccidPattern.test(to) && canonical(from) <= canonical(to)
      ? stockBetween(ranges, from, to)
      : null;

  const mutation = useMutation({
    mutationFn: (values: AssignValues) =>
      assignStock({
        orgId: values.orgId,
        iccidFrom: values.iccidFrom.trim(),
        iccidTo: values.iccidTo.trim(),
        contractMonths: Number(values.contractMonths),
        dataMb: Number(values.dataMb),
        sms: Number(values.sms),
      }),
    onSuccess: (result: AssignResult, values) => {
      const name = byId.get(values.orgId)?.customer.name ?? '';
      notifySuccess(t('stock.assigned', { count: n(result.assigned), name }));
      form.setValues({ iccidFrom: '', iccidTo: '' });
    },
    onError: (err) => applyFieldErrors(form, err, t),
    onSettled: () => {
      // Also after a 409: the stock or the customer's addresses may have changed meanwhile.
      void queryClient.invalidateQueries({ queryKey: stockKeys.summary });
      void queryClient.invalidateQueries({ queryKey: stockKeys.customers });
    },
  });

  const result = mutation.data;
  const resultName = mutation.variables ? (byId.get(mutation.variables.orgId)?.customer.name ?? '') : '';

  return (
    <SectionCard title={t('stock.assignTitle')} testId="stock-assign">
      <form onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
        <Stack gap="sm">
          <Select
            label={t('stock.customer')}
            placeholder={t('stock.customerPlaceholder')}
            data={options}
            searchable
            nothingFoundMessage={t('stock.noCustomer')}
            disabled={customers.isPending}
            error={customers.isError ? errorMessage(t, customers.error) : undefined}
            renderOption={({ option }) => {
              const row = byId.get(option.value);
              if (!row) return option.label;
              const c = row.customer;
              return (
                <Group justify="space-between" wrap="nowrap" gap="sm" w="100%" pl={row.depth * 14}>
                  <Stack gap={0} miw={0}>
                    <Text size="sm" truncate>
                      {c.name}
                    </Text>
                    {c.accountNumber && (
                      <Text size="xs" c="dimmed">
                        {t('stock.accountNumber', { number: c.accountNumber })}
                      </Text>
                    )}
                  </Stack>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {t('stock.simCount', { count: n(c.simCount) })}
                  </Text>
                </Group>
              );
            }}
            description={
              selected
                ? [
                    t('stock.simCount', { count: n(selected.simCount) }),
                    freeIps !== undefined ? t('stock.freeIps', { count: n(freeIps) }) : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')
                : undefined
            }
            data-testid="stock-customer"
            {...form.getInputProps('orgId')}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInputIccid form={form} field="iccidFrom" label={t('stock.iccidFrom')} />
            <TextInputIccid form={form} field="iccidTo" label={t('stock.iccidTo')} />
          </SimpleGrid>
          {inRange !== null && (
            <Text
              size="sm"
              c={inRange === 0 || (freeIps !== undefined && inRange > freeIps) ? 'orange.8' : 'dimmed'}
              data-testid="stock-in-range"
            >
              {t('stock.inRange', { count: n(inRange) })}
              {freeIps !== undefined && inRange > freeIps ? ` ${t('stock.notEnoughIps')}` : ''}
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
            <NumberInput
              label={t('stock.contractMonths')}
              name="contractMonths"
              min={1}
              max={240}
              allowDecimal={false}
              allowNegative={false}
              {...form.getInputProps('contractMonths')}
            />
            <NumberInput
              label={t('stock.dataMb')}
              min={0}
              max={10_000_000}
              allowDecimal={false}
              allowNegative={false}
              {...separators}
              {...form.getInputProps('dataMb')}
            />
            <NumberInput
              label={t('stock.sms')}
              min={0}
              max={10_000_000}
              allowDecimal={false}
              allowNegative={false}
              {...separators}
              {...form.getInputProps('sms')}
            />
          </SimpleGrid>
          {mutation.isError && (
            <Alert color="red" role="alert" title={t('stock.assignFailed')} data-testid="assign-error">
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {isApiError(mutation.error) && mutation.error.detail
                  ? mutation.error.detail
                  : errorMessage(t, mutation.error)}
              </Text>
            </Alert>
          )}
          {result && !mutation.isPending && !mutation.isError && (
            <Alert color="green" data-testid="assign-result">
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {t('stock.assigned', { count: n(result.assigned), name: resultName })}
                {result.firstIp && result.lastIp
                  ? ` ${t('stock.assignedIps', { first: result.firstIp, last: result.lastIp })}`
                  : ''}
              </Text>
            </Alert>
          )}
          <Group>
            <Button
              type="submit"
              loading={mutation.isPending}
              rightSection={<IconArrowRight size={16} aria-hidden="true" />}
            >
              {t('stock.assign')}
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}

function TextInputIccid({
  form,
  field,
  label,
}: {
  form: UseFormReturnType<AssignValues>;
  field: 'iccidFrom' | 'iccidTo';
  label: string;
}) {
  const t = useT();
  const value = form.values[field].trim();
  return (
    <TextInput
      label={label}
      name={field}
      placeholder="8949…"
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      maxLength={20}
      description={value ? t('stock.digits', { count: value.length }) : t('stock.iccidHint')}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      {...form.getInputProps(field)}
    />
  );
}
