/**
 * Downloads of every SIM the filter matches, as CSV or Excel, in ICCID order (a spreadsheet sorts by
 * itself; the export walks the ICCID index in batches, which keeps a million rows cheap). The session
 * cookie authenticates the GET.
 */
import { Button, Group } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useT } from '../../../lib/i18n.js';
import { exportUrl, type SimFilter } from '../api.js';

/** Two download links for the current filter. */
export function ExportButtons({ filter }: { filter: SimFilter }) {
  const t = useT();
  return (
    <Group gap={0} wrap="nowrap" role="group" aria-label={t('sims.export')}>
      <Button
        component="a"
        href={exportUrl('csv', filter)}
        download
        variant="default"
        leftSection={<IconDownload size={16} aria-hidden />}
        data-testid="export-csv"
        style={{ borderTopRightRadius: 0, borderBottomRightRadius: 0 }}
        title={t('sims.exportCsv')}
      >
        CSV
      </Button>
      <Button
        component="a"
        href={exportUrl('xlsx', filter)}
        download
        variant="default"
        data-testid="export-xlsx"
        style={{ borderTopLeftRadius: 0, borderBottomLeftRadius: 0, marginLeft: -1 }}
        title={t('sims.exportXlsx')}
      >
        Excel
      </Button>
    </Group>
  );
}
