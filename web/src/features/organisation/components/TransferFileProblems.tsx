/** The bad lines of a transfer file, each with its text and what is wrong with it (TransferModal). */
import { Code, ScrollArea, Table } from '@mantine/core';
import { useT } from '../../../lib/i18n.js';

/** A refused line of a transfer: its number in the file (if from a file), field and message. */
export interface LineProblem {
  line?: number;
  field: string;
  message: string;
}

export function TransferFileProblems({
  problems,
  fileLines,
}: {
  problems: LineProblem[];
  fileLines: string[];
}) {
  const t = useT();
  return (
    <ScrollArea.Autosize mah={320} type="auto" offsetScrollbars>
      <Table verticalSpacing={4} striped stickyHeader data-testid="transfer-errors">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={56}>{t('stock.errorLine')}</Table.Th>
            <Table.Th>{t('orgs.lineText')}</Table.Th>
            <Table.Th>{t('stock.errorMessage')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {problems.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced as a whole, never reordered
            <Table.Tr key={i} data-testid="transfer-line-error">
              <Table.Td>{p.line ?? '—'}</Table.Td>
              <Table.Td>
                <Code style={{ overflowWrap: 'anywhere' }}>
                  {p.line ? (fileLines[p.line - 1] ?? '') : ''}
                </Code>
              </Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{p.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
