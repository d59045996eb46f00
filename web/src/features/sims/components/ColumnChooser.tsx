/** A popover of checkboxes that chooses the list's columns; the choice is saved per user. */
import { Button, Checkbox, Popover, Stack } from '@mantine/core';
import { IconColumns } from '@tabler/icons-react';
import { useT } from '../../../lib/i18n.js';
import { allSimColumns, type SimColumn } from '../api.js';

/** The column chooser; the ICCID, which names each row and links to the SIM, cannot be hidden. */
export function ColumnChooser({
  columns,
  onChange,
}: {
  columns: readonly SimColumn[];
  onChange: (columns: SimColumn[]) => void;
}) {
  const t = useT();
  return (
    <Popover position="bottom-end" shadow="md" withinPortal>
      <Popover.Target>
        <Button
          variant="default"
          leftSection={<IconColumns size={16} aria-hidden />}
          data-testid="column-chooser"
        >
          {t('sims.columns')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Checkbox.Group
          label={t('sims.columnsLabel')}
          value={[...columns]}
          onChange={(value) => onChange(allSimColumns.filter((c) => c === 'iccid' || value.includes(c)))}
        >
          <Stack gap={6} mt="xs">
            {allSimColumns.map((column) => (
              <Checkbox
                key={column}
                value={column}
                label={t(`sims.col.${column}`)}
                data-column={column}
                disabled={column === 'iccid'}
              />
            ))}
          </Stack>
        </Checkbox.Group>
      </Popover.Dropdown>
    </Popover>
  );
}
