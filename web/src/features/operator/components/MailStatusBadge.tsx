/** The delivery status of an outbox mail as a coloured badge. */
import { Badge } from '@mantine/core';
import { useT } from '../../../lib/i18n.js';
import type { OutboxMail } from '../api.js';

const colors: Record<OutboxMail['status'], string> = {
  stored: 'gray',
  pending: 'yellow',
  sent: 'green',
  failed: 'red',
};

/** Shows "Stored", "Pending", "Sent" or "Failed". */
export function MailStatusBadge({ status }: { status: OutboxMail['status'] }) {
  const t = useT();
  return (
    <Badge color={colors[status]} variant="light" tt="none">
      {t(`mail.status.${status}`)}
    </Badge>
  );
}
