/** Import SIM stock from a CSV file: all lines or none, with the server's per-line error report. */
import { Alert, Button, Code, FileInput, Group, Text } from '@mantine/core';
import { IconFileTypeCsv, IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ComponentProps, useState } from 'react';
import { type LineProblem, LineProblemsTable } from '../../../components/LineProblemsTable.js';
import { SectionCard } from '../../../components/SectionCard.js';
import { isApiError } from '../../../lib/api.js';
import { errorMessage, fieldMessage, notifySuccess } from '../../../lib/errors.js';
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
      ? error.fieldErrors.map((e) => ({ line: e.line, field: e.field, message: fieldMessage(t, e) }))
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
        <LineProblemsTable
          problems={problems}
          middle={{ header: t('stock.errorField'), width: 110, cell: (p) => <Code>{p.field}</Code> }}
          height={360}
          testId="import-errors"
          rowTestId="import-error"
        />
      )}
    </SectionCard>
  );
}
