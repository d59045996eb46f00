/** Configuration → Monthly limits and defaults for new SIMs, with this month's usage against each limit. */
import {
  Button,
  Group,
  NumberInput,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Text,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { SectionCard } from '../../../components/SectionCard.js';
import { notifySuccess, useFormErrorHandler } from '../../../lib/errors.js';
import { numberSeparators } from '../../../lib/format.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { useCan } from '../../../lib/session.js';
import { formatBytes } from '../../sims/lib/units.js';
import {
  getSettings,
  type OrgSettings,
  type OrgSettingsRequest,
  saveSettings,
  settingsQueryKey,
} from '../api.js';

const MB = 1024 * 1024;
type FormValues = {
  [K in keyof OrgSettingsRequest]: OrgSettingsRequest[K] extends boolean ? boolean : number | string;
};
const limitKeys = ['dataLimitMb', 'smsMoLimit', 'smsMtLimit', 'simDataLimitMb'] as const;

function toForm(s: OrgSettings): FormValues {
  return {
    dataLimitMb: s.dataLimitMb ?? '',
    smsMoLimit: s.smsMoLimit ?? '',
    smsMtLimit: s.smsMtLimit ?? '',
    simDataLimitMb: s.simDataLimitMb ?? '',
    imeiLockDefault: s.imeiLockDefault,
    autoTopUpDefault: s.autoTopUpDefault,
  };
}

function toRequest(v: FormValues): OrgSettingsRequest {
  const n = (x: number | string) => (x === '' ? null : Number(x));
  return {
    dataLimitMb: n(v.dataLimitMb),
    smsMoLimit: n(v.smsMoLimit),
    smsMtLimit: n(v.smsMtLimit),
    simDataLimitMb: n(v.simDataLimitMb),
    imeiLockDefault: v.imeiLockDefault,
    autoTopUpDefault: v.autoTopUpDefault,
  };
}

function UsageAgainst({ used, limit, label }: { used: number; limit: number | null; label: string }) {
  const reached = limit !== null && used >= limit;
  return (
    <Stack gap={2}>
      <Text size="xs" c={reached ? 'red' : 'dimmed'}>
        {label}
      </Text>
      {limit !== null && (
        <Progress
          value={Math.min(100, (used / limit) * 100)}
          color={reached ? 'red' : 'blue'}
          size="xs"
          aria-label={label}
        />
      )}
    </Stack>
  );
}

/** The limits form; every field may be left empty for "no limit". */
export function LimitsSection() {
  const t = useT();
  const { locale } = useLanguage();
  const canBill = useCan('sims:billing');
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: settingsQueryKey, queryFn: ({ signal }) => getSettings(signal) });
  const form = useForm<FormValues>({
    initialValues: {
      dataLimitMb: '',
      smsMoLimit: '',
      smsMtLimit: '',
      simDataLimitMb: '',
      imeiLockDefault: false,
      autoTopUpDefault: false,
    },
  });
  const onError = useFormErrorHandler(form);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the form only when fresh settings arrive
  useEffect(() => {
    if (settings.data) {
      form.setValues(toForm(settings.data));
      form.resetDirty(toForm(settings.data));
    }
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (v: FormValues) => saveSettings(toRequest(v)),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsQueryKey, saved);
      notifySuccess(t('config.limits.saved'));
    },
    onError,
  });
  const s = settings.data;
  const n = new Intl.NumberFormat(locale);
  const limitInput = (key: (typeof limitKeys)[number], unit?: string) => (
    <NumberInput
      label={t(`config.limits.${key}`)}
      placeholder={t('config.limits.none')}
      min={1}
      allowDecimal={false}
      allowNegative={false}
      {...numberSeparators(locale)}
      suffix={unit ? ` ${unit}` : undefined}
      data-testid={`limit-${key}`}
      {...form.getInputProps(key)}
    />
  );

  return (
    <SectionCard title={t('config.limits.title')} testId="limits-section">
      <Text size="sm" c="dimmed">
        {t('config.limits.intro', { month: s?.month ?? '' })}
      </Text>
      {!s ? (
        <Skeleton h={160} />
      ) : (
        <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
              <Stack gap={4}>
                {limitInput('dataLimitMb', 'MB')}
                <UsageAgainst
                  used={s.monthToDate.dataBytes}
                  limit={s.dataLimitMb === null ? null : s.dataLimitMb * MB}
                  label={t('config.limits.usedData', { used: formatBytes(s.monthToDate.dataBytes, locale) })}
                />
              </Stack>
              <Stack gap={4}>
                {limitInput('simDataLimitMb', 'MB')}
                <Text size="xs" c="dimmed">
                  {t('config.limits.simDataHint')}
                </Text>
              </Stack>
              <Stack gap={4}>
                {limitInput('smsMoLimit')}
                <UsageAgainst
                  used={s.monthToDate.smsMo}
                  limit={s.smsMoLimit}
                  label={t('config.limits.usedSms', { used: n.format(s.monthToDate.smsMo) })}
                />
              </Stack>
              <Stack gap={4}>
                {limitInput('smsMtLimit')}
                <UsageAgainst
                  used={s.monthToDate.smsMt}
                  limit={s.smsMtLimit}
                  label={t('config.limits.usedSms', { used: n.format(s.monthToDate.smsMt) })}
                />
              </Stack>
            </SimpleGrid>
            <Stack gap="xs">
              <Text size="sm" fw={600}>
                {t('config.defaults.title')}
              </Text>
              <Switch
                label={t('config.defaults.imeiLock')}
                data-testid="default-imei-lock"
                {...form.getInputProps('imeiLockDefault', { type: 'checkbox' })}
              />
              <Switch
                label={t('config.defaults.autoTopUp')}
                description={canBill ? undefined : t('config.defaults.autoTopUpNotAllowed')}
                disabled={!canBill}
                data-testid="default-auto-top-up"
                {...form.getInputProps('autoTopUpDefault', { type: 'checkbox' })}
              />
            </Stack>
            <Group justify="flex-end">
              <Button
                type="submit"
                loading={save.isPending}
                disabled={!form.isDirty()}
                data-testid="limits-save"
              >
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </SectionCard>
  );
}
