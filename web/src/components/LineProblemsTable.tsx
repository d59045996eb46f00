/**
 * The refused lines of an uploaded file (stock import, SIM transfer): line number, a second column
 * the caller chooses (the field, or the line's text), and what is wrong.
 */
import { ScrollArea, Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { useT } from '../lib/i18n.js';

/** A refused line: its number in the file (when the server knows it), field and message. */
export interface LineProblem {
  line?: number | undefined;
  field: string;
  message: string;
}

export function LineProblemsTable({
  problems,
  middle,
  height,
  testId,
  rowTestId,
}: {
  problems: LineProblem[];
  middle: { header: string; width?: number; cell: (p: LineProblem) => ReactNode };
  height: number;
  testId: string;
  rowTestId: string;
}) {
  const t = useT();
  return (
    <ScrollArea.Autosize mah={height} type="auto" offsetScrollbars>
      <Table verticalSpacing={4} striped stickyHeader data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={64}>{t('stock.errorLine')}</Table.Th>
            <Table.Th w={middle.width}>{middle.header}</Table.Th>
            <Table.Th>{t('stock.errorMessage')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {problems.map((p, i) => (
            // Lines repeat (several fields of one line), so the index is part of the key.
            // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced as a whole, never reordered
            <Table.Tr key={i} data-testid={rowTestId}>
              <Table.Td>{p.line ?? '—'}</Table.Td>
              <Table.Td>{middle.cell(p)}</Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{p.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
