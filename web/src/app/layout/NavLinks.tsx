/** The navbar: one link per tab the user's permissions allow. */
import type { TabId } from '@contracts/permissions.js';
import { NavLink, Stack } from '@mantine/core';
import {
  IconAddressBook,
  IconBuildingCommunity,
  IconDeviceSim,
  IconGauge,
  IconHeadset,
  IconReceipt,
  IconServerCog,
  IconSettings,
  IconUsers,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { Link, useLocation } from 'react-router';
import { useT } from '../../lib/i18n.js';
import { useMe } from '../../lib/session.js';
import { visibleTabs } from '../visibleTabs.js';

const icons: Record<TabId, ComponentType<{ size?: number; stroke?: number }>> = {
  dashboard: IconGauge,
  sims: IconDeviceSim,
  configuration: IconSettings,
  account: IconAddressBook,
  orders: IconReceipt,
  users: IconUsers,
  organisation: IconBuildingCommunity,
  support: IconHeadset,
  operator: IconServerCog,
};

/** Links to the visible tabs; `onNavigate` closes the burger menu on phones. */
export function NavLinks({ onNavigate }: { onNavigate: () => void }) {
  const t = useT();
  const me = useMe();
  const { pathname } = useLocation();
  return (
    <Stack gap={2} component="nav">
      {visibleTabs(me.permissions).map((tab) => {
        const Icon = icons[tab.id];
        const active = pathname === tab.path || pathname.startsWith(`${tab.path}/`);
        return (
          <NavLink
            key={tab.id}
            component={Link}
            to={tab.path}
            label={t(`tabs.${tab.id}`)}
            leftSection={<Icon size={18} stroke={1.6} />}
            active={active}
            aria-current={active ? 'page' : undefined}
            onClick={onNavigate}
            data-testid={`nav-${tab.id}`}
          />
        );
      })}
    </Stack>
  );
}
