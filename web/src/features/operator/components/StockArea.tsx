/** The "SIM stock" area of the operator console: summary, CSV import, assignment, IP address spaces. */
import { SimpleGrid, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { useT } from '../../../lib/i18n.js';
import { getStockSummary, listCustomers, type StockRange, stockKeys } from '../api.js';
import { IpPoolsCard } from './IpPoolsCard.js';
import {
  type AssignValues,
  assignValidation,
  initialAssignValues,
  StockAssignCard,
} from './StockAssignCard.js';
import { StockImportCard } from './StockImportCard.js';
import { StockSummaryCard } from './StockSummaryCard.js';

/** Summary on top; import and assignment side by side on wide screens; the customer's IP spaces below. */
export function StockArea() {
  const t = useT();
  const summary = useQuery({ queryKey: stockKeys.summary, queryFn: ({ signal }) => getStockSummary(signal) });
  const customers = useQuery({
    queryKey: stockKeys.customers,
    queryFn: ({ signal }) => listCustomers(signal),
  });
  const assignRef = useRef<HTMLDivElement>(null);
  const form = useForm<AssignValues>({
    mode: 'controlled',
    initialValues: initialAssignValues,
    validate: assignValidation(t),
  });

  const applyRange = (range: StockRange) => {
    form.setValues({ iccidFrom: range.first, iccidTo: range.last });
    form.clearFieldError('iccidFrom');
    form.clearFieldError('iccidTo');
    const card = assignRef.current;
    card?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    card
      ?.querySelector<HTMLInputElement>(form.values.orgId ? 'input[name="contractMonths"]' : 'input')
      ?.focus({
        preventScroll: true,
      });
  };

  return (
    <Stack gap="md" data-testid="operator-stock">
      <StockSummaryCard summary={summary} onUseRange={applyRange} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <StockImportCard />
        <div ref={assignRef} style={{ scrollMarginTop: 80 }}>
          <StockAssignCard form={form} customers={customers} ranges={summary.data?.ranges} />
        </div>
      </SimpleGrid>
      <IpPoolsCard customer={customers.data?.items.find((c) => c.id === form.values.orgId)} />
    </Stack>
  );
}
