/** The three columns of the SIM detail: identifiers, lifetime, network. */
import { Group, Paper, RingProgress, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { CountryFlag } from '../../../components/CountryFlag.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import type { SimDetail } from '../api.js';
import { countryName } from '../lib/units.js';
import { LabelEditor } from './LabelEditor.js';
import { SessionBadge } from './SimBadges.js';

/** A term and its value, stacked. */
function Field({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {typeof children === 'string' ? (
        <Text
          size="sm"
          fw={500}
          style={{
            overflowWrap: 'anywhere',
            fontFamily: mono ? 'var(--mantine-font-family-monospace)' : undefined,
          }}
        >
          {children}
        </Text>
      ) : (
        children
      )}
    </div>
  );
}

function Column({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Stack gap="sm">
        <Title order={2} fz="h5">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

/** Column 1: ICCID (also with its Luhn digit), IMSI, MSISDN, label with inline edit. */
export function IdentityColumn({
  sim,
  canEditLabel,
  savingLabel,
  onSaveLabel,
}: {
  sim: SimDetail;
  canEditLabel: boolean;
  savingLabel: boolean;
  onSaveLabel: (label: string | null) => Promise<unknown>;
}) {
  const t = useT();
  return (
    <Column title={t('sims.detail.identity')} testId="sim-identity">
      <Field label={t('sims.col.iccid')} mono>
        {sim.iccid}
      </Field>
      <Field label={t('sims.iccidWithLuhn')} mono>
        {sim.iccidWithLuhn}
      </Field>
      <Field label={t('sims.col.imsi')} mono>
        {sim.imsi}
      </Field>
      <Field label={t('sims.col.msisdn')} mono>
        {sim.msisdn}
      </Field>
      <Field label={t('sims.label')}>
        <LabelEditor label={sim.label} editable={canEditLabel} saving={savingLabel} onSave={onSaveLabel} />
      </Field>
      <Field label={t('sims.formFactor')}>{sim.formFactor}</Field>
    </Column>
  );
}

/** Whole years, months and days from now until a date (none when it has passed). */
export function timeLeft(end: Date, now: Date): { years: number; months: number; days: number } | null {
  if (end.getTime() <= now.getTime()) return null;
  let months = (end.getFullYear() - now.getFullYear()) * 12 + (end.getMonth() - now.getMonth());
  const anchor = new Date(now);
  anchor.setMonth(now.getMonth() + months);
  if (anchor.getTime() > end.getTime()) {
    months -= 1;
    anchor.setTime(now.getTime());
    anchor.setMonth(now.getMonth() + months);
  }
  const days = Math.floor((end.getTime() - anchor.getTime()) / 86_400_000);
  return { years: Math.floor(months / 12), months: months % 12, days };
}

/** "3 years, 4 months and 2 days" in the locale's words. */
function formatTimeLeft(parts: { years: number; months: number; days: number }, locale: string): string {
  const unit = (value: number, name: 'year' | 'month' | 'day') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);
  const list: string[] = [];
  if (parts.years) list.push(unit(parts.years, 'year'));
  if (parts.months) list.push(unit(parts.months, 'month'));
  if (parts.days || list.length === 0) list.push(unit(parts.days, 'day'));
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(list);
}

/** Column 2: lifetime ring (% passed), time left, end date. */
export function LifetimeColumn({ sim }: { sim: SimDetail }) {
  const t = useT();
  const { locale } = useLanguage();
  const percent = sim.lifetime.percentPassed;
  const endIso = sim.lifetime.endOfLife ?? sim.endOfLife;
  const end = endIso ? new Date(endIso) : null;
  const left = end ? timeLeft(end, new Date()) : null;
  const date = (iso: string | null) =>
    iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(iso)) : t('common.none');
  const color = percent === null ? 'gray' : percent >= 100 ? 'red' : percent >= 90 ? 'orange' : 'blue';
  const shown = percent === null ? null : Math.min(100, Math.max(0, percent));
  return (
    <Column title={t('sims.lifetime')} testId="sim-lifetime">
      <Group gap="md" wrap="nowrap" align="center">
        <RingProgress
          size={104}
          thickness={10}
          roundCaps
          sections={shown === null ? [] : [{ value: shown, color }]}
          label={
            <Text ta="center" fw={700} size="sm">
              {shown === null
                ? t('common.none')
                : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(
                    shown / 100,
                  )}
            </Text>
          }
          aria-label={
            shown === null
              ? t('sims.lifetime.unknown')
              : t('sims.lifetime.passed', { percent: Math.round(shown) })
          }
        />
        <Stack gap="xs" miw={0}>
          <Field label={t('sims.lifetime.left')}>
            {end === null ? t('common.none') : left ? formatTimeLeft(left, locale) : t('sims.lifetime.over')}
          </Field>
          <Field label={t('sims.lifetime.end')}>{date(endIso)}</Field>
          <Field label={t('sims.lifetime.activated')}>{date(sim.activatedAt)}</Field>
        </Stack>
      </Group>
    </Column>
  );
}

/** Column 3: static IP, device IMEI, session state, country, operator, MCC-MNC, cell, bearer. */
export function NetworkColumn({ sim }: { sim: SimDetail }) {
  const t = useT();
  const { locale } = useLanguage();
  const none = t('common.none');
  const { network } = sim;
  const country = network.country ? (
    <Group gap={6} wrap="nowrap">
      <CountryFlag code={network.country} />
      <Text size="sm" fw={500}>
        {countryName(network.country, locale)}
      </Text>
    </Group>
  ) : (
    none
  );
  return (
    <Column title={t('sims.network')} testId="sim-network">
      <Group gap="lg" align="flex-start" wrap="wrap">
        <Field label={t('sims.col.session')}>
          <SessionBadge session={sim.session} />
        </Field>
        <Field label={t('sims.network.bearer')}>{network.bearer ?? none}</Field>
      </Group>
      <Field label={t('sims.network.ip')} mono>
        {sim.ipAddress ?? none}
      </Field>
      <Field label={t('sims.network.imei')} mono>
        {sim.imei ?? none}
      </Field>
      <Field label={t('sims.network.country')}>{country}</Field>
      <Field label={t('sims.network.operator')}>{network.operatorName ?? none}</Field>
      <Group gap="lg" align="flex-start" wrap="wrap">
        <Field label={t('sims.network.mccMnc')} mono>
          {network.mccMnc ?? none}
        </Field>
        <Field label={t('sims.network.cell')} mono>
          {network.cell ?? none}
        </Field>
      </Group>
      {network.lastSeenAt && (
        <Text size="xs" c="dimmed">
          {t('sims.network.lastSeen', {
            time: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
              new Date(network.lastSeenAt),
            ),
          })}
        </Text>
      )}
    </Column>
  );
}
