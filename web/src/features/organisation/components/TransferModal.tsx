/**
 * Transfer SIMs between the organisation and one of its sub-organisations: by one ICCID, ICCID ranges
 * or a CSV/TXT file of ICCID_START;ICCID_END lines. A preview (dry run) shows the count; every bad
 * line comes back with its problem, shown next to the line; nothing moves until confirmed.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Code,
  FileInput,
  Group,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconFileTypeCsv, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ComponentProps, useMemo, useState } from 'react';
import { type LineProblem, LineProblemsTable } from '../../../components/LineProblemsTable.js';
import { isApiError } from '../../../lib/api.js';
import { errorMessage, fieldMessage, notifySuccess } from '../../../lib/errors.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { useMe } from '../../../lib/session.js';
import {
  orgsQueryKey,
  type SubOrganisation,
  type TransferInput,
  type TransferResult,
  transferSims,
} from '../api.js';

type Mode = 'iccid' | 'ranges' | 'file';
const maxBytes = 16 * 1024 * 1024;

export function TransferModal({
  opened,
  subs,
  onClose,
}: {
  opened: boolean;
  subs: SubOrganisation[];
  onClose: () => void;
}) {
  const t = useT();
  const phone = useMediaQuery('(max-width: 36em)');
  return (
    <Modal opened={opened} onClose={onClose} title={t('orgs.transferTitle')} size="xl" fullScreen={phone}>
      {opened && <TransferForm subs={subs} onDone={onClose} />}
    </Modal>
  );
}

function TransferForm({ subs, onDone }: { subs: SubOrganisation[]; onDone: () => void }) {
  const t = useT();
  const me = useMe();
  const { locale } = useLanguage();
  const queryClient = useQueryClient();
  const n = (v: number) => v.toLocaleString(locale);
  const self = me.organisation;
  const [sourceId, setSourceId] = useState<string>(self.id);
  const [targetId, setTargetId] = useState<string | null>(subs[0]?.id ?? null);
  const [mode, setMode] = useState<Mode>('iccid');
  const [iccid, setIccid] = useState('');
  const [ranges, setRanges] = useState([{ start: '', end: '' }]);
  const [file, setFile] = useState<File | null>(null);
  const [fileText, setFileText] = useState<string | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [preview, setPreview] = useState<TransferResult | null>(null);

  const all = [{ value: self.id, label: self.name }, ...subs.map((s) => ({ value: s.id, label: s.name }))];
  // Never sub to sub: from a sub-organisation, the only target is the organisation itself.
  const targets =
    sourceId === self.id ? all.filter((o) => o.value !== self.id) : all.filter((o) => o.value === self.id);

  const body = (dryRun: boolean): TransferInput | null => {
    if (!targetId) return null;
    const base = { sourceOrgId: sourceId, targetOrgId: targetId, dryRun };
    if (mode === 'iccid') return { ...base, iccid: iccid.trim() };
    if (mode === 'ranges')
      return {
        ...base,
        ranges: ranges.map((r) => ({ start: r.start.trim(), end: r.end.trim() || r.start.trim() })),
      };
    return fileText === null ? null : { ...base, file: fileText };
  };

  const mutation = useMutation({
    mutationFn: (input: TransferInput) => transferSims(input),
    onSuccess: (result) => {
      if (result.dryRun) {
        setPreview(result);
        return;
      }
      notifySuccess(
        t('orgs.transferred', {
          count: n(result.count),
          source: result.source.name,
          target: result.target.name,
        }),
      );
      void queryClient.invalidateQueries({ queryKey: orgsQueryKey });
      void queryClient.invalidateQueries({ queryKey: ['sims'] });
      onDone();
    },
  });
  const reset = () => {
    setPreview(null);
    mutation.reset();
  };

  const chooseFile = async (next: File | null) => {
    setFile(next);
    setFileText(null);
    setReadError(null);
    reset();
    if (!next) return;
    if (next.size > maxBytes) return setReadError(t('orgs.fileTooLarge'));
    try {
      setFileText(await next.text());
    } catch {
      setReadError(t('stock.fileUnreadable'));
    }
  };

  const error = mutation.error;
  const problems: LineProblem[] =
    isApiError(error) && error.code === 'validation_failed'
      ? error.fieldErrors.map((e) => ({ ...e, message: fieldMessage(t, e) }))
      : [];
  const lineProblems = (line: number) => problems.filter((p) => p.line === line);
  const fileLines = useMemo(() => (fileText ?? '').split(/\r\n|\r|\n/), [fileText]);
  const input = body(true);
  const ready =
    input !== null &&
    (mode === 'iccid'
      ? iccid.trim() !== ''
      : mode === 'ranges'
        ? ranges.every((r) => r.start.trim())
        : fileText !== null);

  return (
    <Stack gap="sm" data-testid="transfer-modal">
      <Text size="sm" c="dimmed">
        {t('orgs.transferIntro')}
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <Select
          label={t('orgs.source')}
          data={all}
          value={sourceId}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
          data-testid="transfer-source"
          onChange={(v) => {
            if (!v) return;
            setSourceId(v);
            setTargetId(v === self.id ? (subs[0]?.id ?? null) : self.id);
            reset();
          }}
        />
        <Select
          label={t('orgs.target')}
          data={targets}
          value={targetId}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
          data-testid="transfer-target"
          onChange={(v) => {
            setTargetId(v);
            reset();
          }}
        />
      </SimpleGrid>
      <SegmentedControl
        fullWidth
        value={mode}
        onChange={(v) => {
          setMode(v as Mode);
          reset();
        }}
        data={[
          { value: 'iccid', label: t('orgs.modeIccid') },
          { value: 'ranges', label: t('orgs.modeRanges') },
          { value: 'file', label: t('orgs.modeFile') },
        ]}
        data-testid="transfer-mode"
      />

      {mode === 'iccid' && (
        <TextInput
          label={t('orgs.iccid')}
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          maxLength={20}
          value={iccid}
          onChange={(e) => {
            setIccid(e.currentTarget.value);
            reset();
          }}
          error={problems.map((p) => p.message).join('; ') || undefined}
          data-testid="transfer-iccid"
        />
      )}

      {mode === 'ranges' && (
        <Stack gap="xs">
          {ranges.map((r, i) => {
            const own = lineProblems(i + 1);
            const update = (patch: Partial<typeof r>) => {
              setRanges(ranges.map((x, j) => (j === i ? { ...x, ...patch } : x)));
              reset();
            };
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions (the server's line numbers)
              <Stack key={i} gap={2} data-testid="transfer-range">
                <Group gap="xs" align="flex-end" wrap="nowrap">
                  <Text size="sm" c="dimmed" w={24} pb={8}>
                    {i + 1}
                  </Text>
                  <TextInput
                    style={{ flex: 1 }}
                    label={i === 0 ? t('orgs.rangeStart') : undefined}
                    aria-label={t('orgs.rangeStart')}
                    inputMode="numeric"
                    maxLength={20}
                    value={r.start}
                    error={own.some((p) => p.field === 'start')}
                    onChange={(e) => update({ start: e.currentTarget.value })}
                    data-testid="transfer-range-start"
                  />
                  <TextInput
                    style={{ flex: 1 }}
                    label={i === 0 ? t('orgs.rangeEnd') : undefined}
                    aria-label={t('orgs.rangeEnd')}
                    inputMode="numeric"
                    maxLength={20}
                    placeholder={t('orgs.rangeEndPlaceholder')}
                    value={r.end}
                    error={own.some((p) => p.field === 'end')}
                    onChange={(e) => update({ end: e.currentTarget.value })}
                    data-testid="transfer-range-end"
                  />
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    size="lg"
                    mb={2}
                    disabled={ranges.length === 1}
                    aria-label={t('orgs.removeRange', { line: i + 1 })}
                    onClick={() => {
                      setRanges(ranges.filter((_, j) => j !== i));
                      reset();
                    }}
                  >
                    <IconTrash size={16} aria-hidden="true" />
                  </ActionIcon>
                </Group>
                {own.map((p) => (
                  <Text
                    key={`${p.field}:${p.message}`}
                    size="xs"
                    c="red"
                    pl={32}
                    data-testid="transfer-line-error"
                  >
                    {p.message}
                  </Text>
                ))}
              </Stack>
            );
          })}
          <Group>
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconPlus size={14} aria-hidden="true" />}
              onClick={() => {
                setRanges([...ranges, { start: '', end: '' }]);
                reset();
              }}
              data-testid="transfer-add-range"
            >
              {t('orgs.addRange')}
            </Button>
          </Group>
        </Stack>
      )}

      {mode === 'file' && (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {t('orgs.fileHint')}
          </Text>
          <Code block>{'ICCID_START;ICCID_END\n8949019999999000001;8949019999999000100'}</Code>
          <FileInput
            label={t('stock.file')}
            placeholder={t('stock.filePlaceholder')}
            accept=".csv,.txt,text/csv,text/plain"
            value={file}
            onChange={(next) => void chooseFile(next)}
            clearable
            leftSection={<IconFileTypeCsv size={18} aria-hidden="true" />}
            fileInputProps={{ 'data-testid': 'transfer-file' } as ComponentProps<'input'>}
            error={readError}
          />
        </Stack>
      )}

      {error && (
        <Alert color="red" title={t('orgs.nothingTransferred')} role="alert" data-testid="transfer-failed">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {problems.length ? t('orgs.problemCount', { count: n(problems.length) }) : errorMessage(t, error)}
          </Text>
        </Alert>
      )}
      {mode === 'file' && problems.length > 0 && (
        <LineProblemsTable
          problems={problems}
          middle={{
            header: t('orgs.lineText'),
            cell: (p) => (
              <Code style={{ overflowWrap: 'anywhere' }}>{p.line ? (fileLines[p.line - 1] ?? '') : ''}</Code>
            ),
          }}
          height={320}
          testId="transfer-errors"
          rowTestId="transfer-line-error"
        />
      )}

      {preview && (
        <Alert color="blue" title={t('orgs.previewTitle')} data-testid="transfer-preview">
          <Text size="sm">
            {t('orgs.previewText', {
              count: n(preview.count),
              source: preview.source.name,
              target: preview.target.name,
              lines: n(preview.lineCount),
            })}
          </Text>
          <Text size="xs" c="dimmed" mt={4}>
            {t('orgs.previewIp', { free: n(preview.freeAddresses) })}
          </Text>
        </Alert>
      )}

      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        {!preview ? (
          <Button
            disabled={!ready}
            loading={mutation.isPending}
            onClick={() => input && mutation.mutate(input)}
            data-testid="transfer-preview-button"
          >
            {t('orgs.preview')}
          </Button>
        ) : (
          <Button
            color="orange"
            loading={mutation.isPending}
            onClick={() => {
              const real = body(false);
              if (real) mutation.mutate(real);
            }}
            data-testid="transfer-confirm"
          >
            {t('orgs.confirmTransfer', { count: n(preview.count) })}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
