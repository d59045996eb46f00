/** "Bind to IMEI": a dialog that takes a 15-digit IMEI (checked with its Luhn digit) and turns the IMEI lock on for it. */
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useT } from '../../../lib/i18n.js';
import { imeiProblem } from '../lib/units.js';

/** The dialog; `onBind` rejects to keep it open (the server's field error is shown). */
export function BindImeiModal({
  opened,
  initial,
  saving,
  serverError,
  onBind,
  onClose,
}: {
  opened: boolean;
  initial: string;
  saving: boolean;
  serverError: string | null;
  onBind: (imei: string) => void;
  onClose: () => void;
}) {
  const t = useT();
  const [value, setValue] = useState(initial);
  const [touched, setTouched] = useState(false);
  const digits = value.replace(/\s/g, '');
  const problem = imeiProblem(digits);
  const error = touched && problem ? t(`sims.imei.${problem}`) : serverError;
  return (
    <Modal opened={opened} onClose={onClose} title={t('sims.bindImei.title')} data-testid="bind-imei-modal">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!problem) onBind(digits);
        }}
      >
        <Stack gap="md">
          <Text size="sm">{t('sims.bindImei.intro')}</Text>
          <TextInput
            label={t('sims.imei')}
            description={t('sims.imei.hint')}
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            onBlur={() => setTouched(true)}
            error={error}
            inputMode="numeric"
            autoComplete="off"
            maxLength={20}
            data-autofocus
            data-testid="bind-imei-input"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={saving} data-testid="bind-imei-save">
              {t('sims.bindImei.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
