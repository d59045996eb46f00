/** Coloured badges of a SIM's state, session state and volume group, and the "used of total" volume cell. */
import { Badge, Group, type MantineSize, Progress, Stack, Text } from '@mantine/core';
import { useLanguage, useT } from '../../../lib/i18n.js';
import type { EventSeverity, SessionState, SimStatus, VolumeGroup } from '../api.js';
import { formatBytes, percentUsed } from '../lib/units.js';

const statusColor: Record<SimStatus, string> = { activated: 'green', deactivated: 'gray', expired: 'red' };
const sessionColor: Record<SessionState, string> = {
  online: 'teal',
  attached: 'blue',
  offline: 'gray',
  blocked: 'red',
};
/** Colour of a volume group: enough, running low, used up. */
export const volumeColor: Record<VolumeGroup, string> = { sufficient: 'teal', low: 'orange', none: 'red' };
const severityColor: Record<EventSeverity, string> = { info: 'blue', warning: 'orange', critical: 'red' };

/** The SIM's state. */
export function StatusBadge({ status, size }: { status: SimStatus; size?: MantineSize }) {
  const t = useT();
  return (
    <Badge color={statusColor[status]} variant="light" size={size} miw="max-content" data-status={status}>
      {t(`sims.status.${status}`)}
    </Badge>
  );
}

/** The SIM's session state. */
export function SessionBadge({ session, size }: { session: SessionState; size?: MantineSize }) {
  const t = useT();
  return (
    <Badge color={sessionColor[session]} variant="dot" size={size} miw="max-content" data-session={session}>
      {t(`sims.session.${session}`)}
    </Badge>
  );
}

/** An event's severity. */
export function SeverityBadge({ severity }: { severity: EventSeverity }) {
  const t = useT();
  return (
    <Badge color={severityColor[severity]} variant="light" miw="max-content">
      {t(`sims.severity.${severity}`)}
    </Badge>
  );
}

/** "used of total" with a small bar in the colour of the volume group; `kind` says bytes or SMS. */
export function VolumeCell({
  used,
  total,
  group,
  kind,
}: {
  used: number;
  total: number;
  group: VolumeGroup;
  kind: 'data' | 'sms';
}) {
  const t = useT();
  const { locale } = useLanguage();
  const number = new Intl.NumberFormat(locale);
  const text =
    kind === 'data'
      ? t('sims.usedOf', { used: formatBytes(used, locale), total: formatBytes(total, locale) })
      : t('sims.smsUsedOf', { used: number.format(used), total: number.format(total) });
  return (
    <Stack gap={4} miw={110}>
      <Group gap={6} wrap="nowrap" justify="space-between">
        <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
          {text}
        </Text>
      </Group>
      <Progress
        value={percentUsed(used, total)}
        color={volumeColor[group]}
        size="sm"
        aria-label={`${text} (${t(`sims.volume.${group}`)})`}
      />
    </Stack>
  );
}
