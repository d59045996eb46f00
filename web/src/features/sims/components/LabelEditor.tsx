/** The SIM's label with inline edit: pencil → input → save or cancel (at most 64 characters). */
import { ActionIcon, Group, Text, TextInput } from '@mantine/core';
import { IconCheck, IconPencil, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useT } from '../../../lib/i18n.js';

export const labelMaxLength = 64;

/** Characters as the server and the database count them: code points, so an emoji is one, not two. */
const characters = (value: string) => [...value].length;

/** Why a label cannot be saved, or null. */
function labelProblem(value: string): 'tooLong' | 'control' | null {
  if (characters(value.trim()) > labelMaxLength) return 'tooLong';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'control';
  return null;
}

/** Shows the label; when `editable`, a pencil opens an input. `onSave` rejects to keep the input open. */
export function LabelEditor({
  label,
  editable,
  saving,
  onSave,
}: {
  label: string | null;
  editable: boolean;
  saving: boolean;
  onSave: (label: string | null) => Promise<unknown>;
}) {
  const t = useT();
  const [draft, setDraft] = useState<string | null>(null);
  if (draft === null) {
    return (
      <Group gap={4} wrap="nowrap" align="center">
        <Text
          size="sm"
          fw={500}
          c={label ? undefined : 'dimmed'}
          style={{ overflowWrap: 'anywhere' }}
          data-testid="sim-label"
        >
          {label ?? t('sims.label.none')}
        </Text>
        {editable && (
          <ActionIcon
            variant="subtle"
            size="sm"
            onClick={() => setDraft(label ?? '')}
            aria-label={t('sims.label.edit')}
            data-testid="label-edit"
          >
            <IconPencil size={14} aria-hidden />
          </ActionIcon>
        )}
      </Group>
    );
  }
  const problem = labelProblem(draft);
  const save = () => {
    if (problem) return;
    const value = draft.trim();
    void onSave(value === '' ? null : value).then(
      () => setDraft(null),
      () => undefined,
    );
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <Group gap={4} wrap="nowrap" align="flex-start">
        <TextInput
          size="xs"
          value={draft}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setDraft(null);
          }}
          aria-label={t('sims.label')}
          placeholder={t('sims.label.placeholder')}
          error={problem ? t(`sims.label.${problem}`) : undefined}
          description={`${characters(draft.trim())}/${labelMaxLength}`}
          inputWrapperOrder={['input', 'error', 'description']}
          autoFocus
          style={{ flex: 1 }}
          data-testid="label-input"
        />
        <ActionIcon
          type="submit"
          variant="filled"
          size="input-xs"
          loading={saving}
          disabled={problem !== null}
          aria-label={t('common.save')}
          data-testid="label-save"
        >
          <IconCheck size={16} aria-hidden />
        </ActionIcon>
        <ActionIcon
          variant="default"
          size="input-xs"
          onClick={() => setDraft(null)}
          aria-label={t('common.cancel')}
          data-testid="label-cancel"
        >
          <IconX size={16} aria-hidden />
        </ActionIcon>
      </Group>
    </form>
  );
}
