/** Import SIM stock from a CSV file: all lines or none, with the server's per-line error report. */
import { Alert, Button, Code, FileInput, Group, ScrollArea, Table, Text } from '@mantine/core';
import { IconFileTypeCsv, IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ComponentProps, useState } from 'react';
import { SectionCard } from '../../../components/SectionCard.js';
import { isApiError } from '../../../lib/api.js';
import { errorMessage, notifySuccess } from '../../../lib/errors.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { importStock, stockKeys } from '../api.js';

/** The server refuses bodies above 64 MiB. */
const maxBytes = 64 * 1024 * 1024;
/** The server reports at most this many problems. */
const errorLimit = 1000;

interface LoadedFile {
  file: File;
  text: string;
  /** Non-empty lines, header included. */
  lines: number;
}

interface LineProblem {
  line: number | undefined;
  field: string;
  message: string;
}

function countLines(text: string): number {
  let lines = 0;
  for (const line of text.split(/\r?\n/)) if (line.trim() !== '') lines++;
  return lines;
}

export function StockImportCard() {
  const t = useT();
  const { locale } = useLanguage();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [loaded, setLoaded] = useState<LoadedFile | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const n = (value: number) => value.toLocaleString(locale);

  const mutation = useMutation({
    mutationFn: (csv: string) => importStock(csv),
    onSuccess: (result) => {
      notifySuccess(t('stock.imported', { count: n(result.imported) }));
      setFile(null);
      setLoaded(null);
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: stockKeys.summary });
      void queryClient.invalidateQueries({ queryKey: stockKeys.customers });
    },
  });

  const choose = async (next: File | null) => {
    setFile(next);
    setLoaded(null);
    setReadError(null);
    mutation.reset();
    if (!next) return;
    if (next.size > maxBytes) {
      setReadError(t('stock.fileTooLarge'));
      return;
    }
    try {
      const text = await next.text();
      setLoaded({ file: next, text, lines: countLines(text) });
    } catch {
      setReadError(t('stock.fileUnreadable'));
    }
  };

  const error = mutation.error;
  const problems: LineProblem[] | null =
    isApiError(error) && error.fieldErrors.length > 0
      ? error.fieldErrors.map((e) => ({ line: e.line, field: e.field, message: e.message }))
      : null;

  return (
    <SectionCard title={t('stock.importTitle')} testId="stock-import">
      <Text size="sm" c="dimmed">
        {t('stock.importHint')}
      </Text>
      <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        iccid,imsi,msisdn,pin1,puk1,pin2,puk2,form_factor
      </Code>
      <Text size="xs" c="dimmed">
        {t('stock.importFormFactors')}
      </Text>
      <FileInput
        label={t('stock.file')}
        placeholder={t('stock.filePlaceholder')}
        accept=".csv,.txt,text/csv,text/plain"
        value={file}
        onChange={(next) => void choose(next)}
        clearable
        leftSection={<IconFileTypeCsv size={18} aria-hidden="true" />}
        fileInputProps={{ 'data-testid': 'stock-file' } as ComponentProps<'input'>}
        error={readError}
      />
      {loaded && (
        <Text size="sm" data-testid="stock-file-info" style={{ overflowWrap: 'anywhere' }}>
          {t('stock.fileInfo', {
            name: loaded.file.name,
            lines: n(loaded.lines),
            sims: n(Math.max(0, loaded.lines - 1)),
          })}
        </Text>
      )}
      <Group>
        <Button
          leftSection={<IconUpload size={16} aria-hidden="true" />}
          disabled={!loaded || loaded.lines < 2}
          loading={mutation.isPending}
          onClick={() => loaded && mutation.mutate(loaded.text)}
          data-testid="stock-import-submit"
        >
          {t('stock.import')}
        </Button>
      </Group>

      {error && (
        <Alert color="red" title={t('stock.nothingImported')} role="alert" data-testid="import-failed">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {!problems
              ? errorMessage(t, error)
              : problems.length >= errorLimit
                ? t('stock.problemsTruncated', { count: n(errorLimit) })
                : t('stock.problemCount', { count: n(problems.length) })}
          </Text>
        </Alert>
      )}
      {problems && (
        <ScrollArea.Autosize mah={360} type="auto" offsetScrollbars>
          <Table verticalSpacing={4} striped stickyHeader data-testid="import-errors">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={64}>{t('stock.errorLine')}</Table.Th>
                <Table.Th w={110}>{t('stock.errorField')}</Table.Th>
                <Table.Th>{t('stock.errorMessage')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {problems.map((p, i) => (
                // Lines repeat (several fields of one line), so the index is part of the key.
                // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced as a whole, never reordered
                <Table.Tr key={i} data-testid="import-error">
                  <Table.Td>{p.line ?? '—'}</Table.Td>
                  <Table.Td>
                    <Code>{p.field}</Code>
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{p.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </SectionCard>
  );
}
